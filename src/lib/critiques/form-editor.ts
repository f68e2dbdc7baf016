/**
 * The instructor's editor of a critique form works without script: each field is a row of
 * indexed inputs (`fields[2].label`), and the buttons that add, remove or move a row post
 * the whole form with an `edit` value, so the server answers with the changed rows unsaved.
 */
import { MAX_FIELDS, type CritiqueField } from './forms';

/** One row as typed: strings, so a bad number comes back as the person wrote it. */
export interface FieldDraft {
	type: 'text' | 'score';
	/** Empty for a new field: derived from its label when saved. */
	key: string;
	label: string;
	help: string;
	required: boolean;
	evidence: boolean;
	min: string;
	max: string;
	lowLabel: string;
	highLabel: string;
}

const BLANK: FieldDraft = {
	type: 'text',
	key: '',
	label: '',
	help: '',
	required: false,
	evidence: false,
	min: '1',
	max: '4',
	lowLabel: '',
	highLabel: ''
};

export function draftsOf(fields: CritiqueField[]): FieldDraft[] {
	return fields.map((f) =>
		f.type === 'text'
			? { ...BLANK, ...f }
			: { ...BLANK, ...f, min: String(f.min), max: String(f.max) }
	);
}

/** The rows of a posted editor, in order. */
export function readDrafts(values: Record<string, unknown>): FieldDraft[] {
	const drafts: FieldDraft[] = [];
	// Bounded: a post cannot make the server loop over made-up indexes.
	for (let i = 0; i <= MAX_FIELDS && `fields[${i}].type` in values; i++) {
		const text = (name: keyof FieldDraft) => {
			const v = values[`fields[${i}].${name}`];
			return typeof v === 'string' ? v : '';
		};
		drafts.push({
			type: text('type') === 'score' ? 'score' : 'text',
			key: text('key'),
			label: text('label'),
			help: text('help'),
			required: text('required') === 'on',
			evidence: text('evidence') === 'on',
			min: text('min'),
			max: text('max'),
			lowLabel: text('lowLabel'),
			highLabel: text('highLabel')
		});
	}
	return drafts;
}

/**
 * Applies an editing button ("add", "remove:2", "up:2", "down:2") to the rows; null for
 * anything else (the save button).
 */
export function applyEdit(drafts: FieldDraft[], edit: string): FieldDraft[] | null {
	if (edit === 'add') return drafts.length < MAX_FIELDS ? [...drafts, { ...BLANK }] : drafts;
	const match = /^(remove|up|down):(\d+)$/.exec(edit);
	if (!match) return null;
	const i = Number(match[2]);
	if (i >= drafts.length) return drafts;
	const next = [...drafts];
	if (match[1] === 'remove') next.splice(i, 1);
	const j = match[1] === 'up' ? i - 1 : match[1] === 'down' ? i + 1 : -1;
	if (j >= 0 && j < next.length) [next[i], next[j]] = [next[j], next[i]];
	return next;
}

/** A key for a new field from its label: "Reproducibility" -> "reproducibility". */
function keyFor(label: string, taken: Set<string>): string {
	const base =
		label
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^[^a-z]+|_+$/g, '')
			.slice(0, 32) || 'field';
	let key = base;
	for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
	return key;
}

/** The rows as a form to save (checked by critiqueFormSchema when saved). */
export function fieldsOfDrafts(drafts: FieldDraft[]): unknown[] {
	const taken = new Set(drafts.map((d) => d.key).filter(Boolean));
	const number = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v) : NaN);
	return drafts.map((d) => {
		let key = d.key;
		if (!key) taken.add((key = keyFor(d.label, taken)));
		const common = { key, label: d.label, help: d.help, required: d.required };
		return d.type === 'text'
			? { type: 'text', ...common, evidence: d.evidence }
			: {
					type: 'score',
					...common,
					min: number(d.min),
					max: number(d.max),
					lowLabel: d.lowLabel,
					highLabel: d.highLabel
				};
	});
}
