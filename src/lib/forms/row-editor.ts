/**
 * Editors of a list of rows (a critique form's fields, a talk rubric's criteria) that work
 * without script: each row is a set of indexed inputs (`fields[2].label`), and the buttons
 * that add, remove or move a row post the whole form with an `edit` value, so the server
 * answers with the changed rows unsaved.
 */

/** The posted rows named `prefix[i].…`, in order; `probe` is an input every row has. */
export function readRows<T>(
	values: Record<string, unknown>,
	prefix: string,
	probe: string,
	max: number,
	read: (text: (part: string) => string) => T
): T[] {
	const rows: T[] = [];
	// Bounded: a post cannot make the server loop over made-up indexes.
	for (let i = 0; i <= max && `${prefix}[${i}].${probe}` in values; i++) {
		rows.push(
			read((part) => {
				const v = values[`${prefix}[${i}].${part}`];
				return typeof v === 'string' ? v : '';
			})
		);
	}
	return rows;
}

/**
 * Applies an editing button ("add", "remove:2", "up:2", "down:2") to the rows; null for
 * anything else (the save button).
 */
export function applyRowEdit<T>(rows: T[], edit: string, blank: T, max: number): T[] | null {
	if (edit === 'add') return rows.length < max ? [...rows, { ...blank }] : rows;
	const match = /^(remove|up|down):(\d+)$/.exec(edit);
	if (!match) return null;
	const i = Number(match[2]);
	if (i >= rows.length) return rows;
	const next = [...rows];
	if (match[1] === 'remove') next.splice(i, 1);
	const j = match[1] === 'up' ? i - 1 : match[1] === 'down' ? i + 1 : -1;
	if (j >= 0 && j < next.length) [next[i], next[j]] = [next[j], next[i]];
	return next;
}

/** A key for a new row from its label, not among `taken`: "Reproducibility" -> "reproducibility". */
export function keyFromLabel(label: string, taken: Set<string>, fallback: string): string {
	const base =
		label
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^[^a-z]+|_+$/g, '')
			.slice(0, 32) || fallback;
	let key = base;
	for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
	taken.add(key);
	return key;
}

/** Schema issues as one message, rows numbered as the editor shows them ("Field 2: …"). */
export function rowMessages(
	issues: { path: PropertyKey[]; message: string }[],
	noun: string
): string {
	const messages = issues.map((i) =>
		typeof i.path[0] === 'number' ? `${noun} ${i.path[0] + 1}: ${i.message}` : i.message
	);
	return [...new Set(messages)].join(' ');
}
