import { postAction } from '$lib/forms/post-action';
import { mergeDeck, type MergeConflict } from './merge';

type Outcome =
	| { kind: 'saved'; revision: number; source: string; merged: boolean }
	| { kind: 'conflict'; revision: number; merged: string; conflicts: MergeConflict[] };

/**
 * The text being edited and its saving: autosave a moment after typing stops, on top of
 * the revision the editor started from. A partner's save in between is merged by the
 * server; overlapping edits come back as a conflict to resolve here, never overwritten.
 */
export class DeckDraft {
	source = $state('');
	revision = $state(0);
	status = $state<'saved' | 'dirty' | 'saving' | 'merged' | 'conflict' | 'error'>('saved');
	message = $state('');
	conflicts = $state<MergeConflict[]>([]);
	#saved = '';
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		source: string,
		revision: number,
		private readonly action: string
	) {
		this.source = source;
		this.#saved = source;
		this.revision = revision;
	}

	edit(source: string) {
		this.source = source;
		if (this.status === 'conflict') return;
		this.status = source === this.#saved ? 'saved' : 'dirty';
		clearTimeout(this.#timer);
		if (this.status === 'dirty') this.#timer = setTimeout(() => void this.save(), 1500);
	}

	async save(): Promise<void> {
		clearTimeout(this.#timer);
		if (this.status === 'saving') return;
		const sent = this.source;
		this.status = 'saving';
		const body = new FormData();
		body.set('source', sent);
		body.set('baseRevision', String(this.revision));
		try {
			const result = await postAction(this.action, body);
			if (result.type === 'failure') {
				const errors = (result.data?.errors ?? {}) as Record<string, string>;
				this.status = 'error';
				this.message = Object.values(errors).join(' ') || 'The deck could not be saved.';
				return;
			}
			if (result.type !== 'success') throw new Error(result.type);
			this.apply((result.data as { outcome: Outcome }).outcome, sent);
		} catch {
			this.status = 'error';
			this.message = 'Not saved: the connection failed. Your text is kept here; try again.';
		}
	}

	private apply(outcome: Outcome, sent: string) {
		if (outcome.kind === 'conflict') {
			// The editor shows both versions in place; saving again builds on the newest revision.
			this.revision = outcome.revision;
			this.source = outcome.merged;
			this.conflicts = outcome.conflicts;
			this.status = 'conflict';
			this.message =
				'Your partner changed the same lines. Both versions are in the text between the markers: keep what should stay, remove the markers, then save.';
			return;
		}
		this.revision = outcome.revision;
		this.#saved = outcome.source;
		this.conflicts = [];
		const typedSince = this.source !== sent;
		if (outcome.merged) {
			// Bring the partner's lines into the editor, keeping what was typed meanwhile.
			const local = mergeDeck(sent, this.source, outcome.source);
			this.source = local.merged;
			if (!local.clean) {
				this.conflicts = local.conflicts;
				this.status = 'conflict';
				this.message =
					'Your partner changed lines you are editing. Both versions are between the markers: keep what should stay, remove the markers, then save.';
				return;
			}
		}
		this.status = outcome.merged ? 'merged' : typedSince ? 'dirty' : 'saved';
		this.message = outcome.merged
			? `Saved as revision ${outcome.revision}, merged with your partner's changes.`
			: `Saved as revision ${outcome.revision}.`;
		if (typedSince) this.edit(this.source);
	}

	/** After resolving a conflict by hand. */
	resolved() {
		this.status = 'dirty';
		this.conflicts = [];
		void this.save();
	}
}
