import { describe, expect, test } from 'vitest';
import {
	bursts,
	distribution,
	sortRows,
	weeklyCounts,
	type DashboardRow
} from '$lib/grades/dashboard';

const rows: DashboardRow[] = [
	{ userId: 'b', name: 'Ben', perLecture: { l1: 2 }, percent: 40 },
	{ userId: 'a', name: 'Ada', perLecture: { l1: 5, l2: 1 }, percent: 90 },
	{ userId: 'c', name: 'Cleo', perLecture: {}, percent: 40 }
];
const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 10, minute));

describe('dashboard', () => {
	test('sorts by name, percentage or a lecture, ties in name order', () => {
		expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual(['Ada', 'Ben', 'Cleo']);
		expect(sortRows(rows, 'percent', 'desc').map((r) => r.name)).toEqual(['Ada', 'Ben', 'Cleo']);
		expect(sortRows(rows, 'percent', 'asc').map((r) => r.name)).toEqual(['Ben', 'Cleo', 'Ada']);
		expect(sortRows(rows, 'l2', 'asc').map((r) => r.name)).toEqual(['Ben', 'Cleo', 'Ada']);
	});

	test('distribution in tenths, 100 in the last', () => {
		const bins = distribution([0, 9.9, 10, 55, 100]);
		expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
		expect(bins[0].label).toBe('0–10 %');
	});

	test('items per week from Monday, empty weeks included', () => {
		// 2026-11-02 is a Monday; 2026-11-08 a Sunday.
		const weeks = weeklyCounts([
			new Date('2026-11-02T00:00:00Z'),
			new Date('2026-11-08T23:00:00Z'),
			new Date('2026-11-17T12:00:00Z')
		]);
		expect(weeks).toEqual([
			{ week: '2026-11-02', count: 2 },
			{ week: '2026-11-09', count: 0 },
			{ week: '2026-11-16', count: 1 }
		]);
		expect(weeklyCounts([])).toEqual([]);
	});

	test('five items within ten minutes are a burst; spread out they are not', () => {
		expect(bursts([at(0), at(2), at(4), at(6), at(8), at(9), at(40)])).toEqual([
			{ start: at(0), count: 6 }
		]);
		expect(bursts([at(0), at(3), at(6), at(9), at(12)])).toEqual([]);
		expect(bursts([at(0), at(1), at(2), at(3)])).toEqual([]);
	});
});
