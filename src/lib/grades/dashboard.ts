/**
 * The instructor dashboard's arithmetic: sorting the students × lectures table, the score
 * distribution, activity per week and the bursts that may be padding. Pure, so the tests
 * pin it down without a database.
 */

export interface DashboardRow {
	userId: string;
	name: string;
	/** Points per lecture id. */
	perLecture: Record<string, number>;
	percent: number;
}

export type SortDirection = 'asc' | 'desc';

/**
 * The table sorted by `key`: "name", "percent" or a lecture id (its points). Ties keep
 * name order so the table reads the same on every load.
 */
export function sortRows(rows: DashboardRow[], key: string, direction: SortDirection) {
	const value = (row: DashboardRow): number | string =>
		key === 'name' ? row.name : key === 'percent' ? row.percent : (row.perLecture[key] ?? 0);
	const sign = direction === 'asc' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const [x, y] = [value(a), value(b)];
		const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
		return order * sign || a.name.localeCompare(b.name);
	});
}

/** How many scores fall in each tenth: 0–10, 10–20, …, 90–100 (100 goes in the last). */
export function distribution(percents: number[]): { label: string; count: number }[] {
	const bins = Array.from({ length: 10 }, (_, i) => ({
		label: `${i * 10}–${i * 10 + 10} %`,
		count: 0
	}));
	for (const p of percents) bins[Math.min(9, Math.max(0, Math.floor(p / 10)))].count += 1;
	return bins;
}

const DAY = 86_400_000;

/** Items per week, weeks starting on Monday (UTC), every week from the first to the last. */
export function weeklyCounts(times: Date[]): { week: string; count: number }[] {
	if (!times.length) return [];
	const monday = (t: Date) => {
		const day = Math.floor(t.getTime() / DAY);
		// 1970-01-01 was a Thursday: day 4 of a week starting Monday is day 0.
		return (day - ((day + 3) % 7)) * DAY;
	};
	const counts = new Map<number, number>();
	for (const t of times) counts.set(monday(t), (counts.get(monday(t)) ?? 0) + 1);
	const weeks = [...counts.keys()];
	const result = [];
	for (let w = Math.min(...weeks); w <= Math.max(...weeks); w += 7 * DAY) {
		result.push({ week: new Date(w).toISOString().slice(0, 10), count: counts.get(w) ?? 0 });
	}
	return result;
}

export const BURST_ITEMS = 5;
export const BURST_WINDOW_MS = 10 * 60_000;

/**
 * Bursts of one person's items: at least `size` items within `windowMs`. Each burst is
 * reported once, from its first item, with every item that falls in it.
 */
export function bursts(
	times: Date[],
	size = BURST_ITEMS,
	windowMs = BURST_WINDOW_MS
): { start: Date; count: number }[] {
	const sorted = [...times].sort((a, b) => a.getTime() - b.getTime());
	const found = [];
	let i = 0;
	while (i < sorted.length) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1].getTime() - sorted[i].getTime() <= windowMs) j++;
		if (j - i + 1 >= size) {
			found.push({ start: sorted[i], count: j - i + 1 });
			i = j + 1;
		} else {
			i++;
		}
	}
	return found;
}
