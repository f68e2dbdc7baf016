/**
 * Ids inside a course export. Every row id is 120 random bits written as 24 characters of
 * lower-case base32 (see $lib/server/ids), so an id names one row across all tables, and
 * the same 24 characters standing alone anywhere else (a deck citing an annotation, a
 * critique linking a slide, an activity's subject, an audit entry) are that row too.
 * Replacing ids as whole tokens therefore re-links every reference, in columns and in
 * text or JSON alike, without a list of where ids may hide.
 */
const ID = /(?<![a-z0-9])[a-z2-7]{24}(?![a-z0-9])/g;

/** The shape of a row id. */
export const ID_SHAPE = /^[a-z2-7]{24}$/;

/** `value` (JSON: strings, arrays, plain objects) with every id-shaped token replaced. */
export function replaceIds<T>(value: T, replace: (id: string) => string): T {
	if (typeof value === 'string') return value.replace(ID, replace) as T;
	if (Array.isArray(value)) return value.map((item) => replaceIds(item, replace)) as T;
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) out[key] = replaceIds(item, replace);
		return out as T;
	}
	return value;
}

/** `value` with every id of `map` replaced by its new one; other ids are kept. */
export function remapIds<T>(value: T, map: ReadonlyMap<string, string>): T {
	return replaceIds(value, (id) => map.get(id) ?? id);
}

/**
 * Rows of a table whose `parent` column points into the same table (a reply to an
 * annotation), ordered so that each parent comes before its children. Throws on a cycle
 * or a parent that is not among the rows.
 */
export function parentsFirst<R extends Record<string, unknown>>(
	rows: readonly R[],
	parent: keyof R & string
): R[] {
	const ids = new Set(rows.map((row) => row.id));
	const placed = new Set<unknown>();
	const out: R[] = [];
	let pending = [...rows];
	while (pending.length > 0) {
		const next = pending.filter((row) => {
			const up = row[parent];
			if (up !== null && !ids.has(up)) {
				throw new Error(
					`Row ${String(row.id)} replies to ${String(up)}, which is not in the file.`
				);
			}
			if (up !== null && !placed.has(up)) return true;
			out.push(row);
			placed.add(row.id);
			return false;
		});
		if (next.length === pending.length) throw new Error('Replies form a cycle.');
		pending = next;
	}
	return out;
}
