import { postAction } from '$lib/forms/post-action';

/**
 * Saves a critique's draft a moment after typing stops, posting the whole form to a draft
 * action (as DeckDraft saves a deck). What was typed while a save was under way is saved
 * next; nothing typed is ever replaced by what the server answers.
 */
export class CritiqueDraft {
	status = $state<'saved' | 'dirty' | 'saving' | 'error'>('saved');
	/** Milliseconds since the epoch of the last saved draft. */
	savedAt = $state<number | null>(null);
	message = $state('');
	errors = $state<Record<string, string>>({});
	#edits = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly form: () => HTMLFormElement | undefined,
		private readonly action: string,
		savedAt: number | null
	) {
		this.savedAt = savedAt;
	}

	changed() {
		this.#edits += 1;
		if (this.status !== 'saving') this.status = 'dirty';
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.save(), 1200);
	}

	async save(): Promise<void> {
		clearTimeout(this.#timer);
		const form = this.form();
		if (!form || this.status === 'saving') return;
		const sent = this.#edits;
		this.status = 'saving';
		try {
			const result = await postAction(this.action, new FormData(form));
			if (result.type === 'failure') {
				this.errors = (result.data?.errors ?? {}) as Record<string, string>;
				this.status = 'error';
				this.message = 'Draft not saved: ' + Object.values(this.errors).join(' ');
				return;
			}
			if (result.type !== 'success') throw new Error(result.type);
			this.errors = {};
			this.savedAt = Date.parse(String(result.data?.savedAt));
			this.status = 'saved';
		} catch {
			this.status = 'error';
			this.message = 'Draft not saved: the connection failed. Your text is kept here.';
		}
		if (this.#edits !== sent) this.changed();
	}
}
