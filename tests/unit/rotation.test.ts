import { describe, expect, it } from 'vitest';
import {
	RotationError,
	generateRotation,
	seededRandom,
	shuffle,
	swapPresenters,
	type RotationInput,
	type RotationLecture
} from '$lib/courses/rotation';

const NOW = '2023-11-01T12:00:00Z';

const students = (n: number) =>
	Array.from({ length: n }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);

/** Weekly lectures from 6 December 2023, 16:00 Berlin time; the first by the instructors. */
function lectures(n: number, firstByInstructors = true): RotationLecture[] {
	return Array.from({ length: n }, (_, i) => ({
		id: `L${i + 1}`,
		number: i + 1,
		startsAt: new Date(Date.UTC(2023, 11, 6 + 7 * i, 15)).toISOString(),
		givenByInstructors: firstByInstructors && i === 0,
		presenters: []
	}));
}

function rotation(over: Partial<RotationInput> & Pick<RotationInput, 'students' | 'lectures'>) {
	return generateRotation({ now: NOW, oddPolicy: 'trio', seed: 1, ...over });
}

/** Everyone in the groups, with how often. */
function tally(assignments: Record<string, string[]>) {
	const counts = new Map<string, number>();
	for (const group of Object.values(assignments))
		for (const id of group) counts.set(id, (counts.get(id) ?? 0) + 1);
	return counts;
}

describe('generateRotation', () => {
	it('gives the demo course (10 students, 4 student lectures) 4 pairs and reports the 2 left', () => {
		const class10 = students(10);
		const r = rotation({ students: class10, lectures: lectures(5) });
		expect(Object.keys(r.assignments).sort()).toEqual(['L2', 'L3', 'L4', 'L5']);
		for (const group of Object.values(r.assignments)) expect(group).toHaveLength(2);
		const counts = tally(r.assignments);
		expect(counts.size).toBe(8);
		expect([...counts.values()].every((c) => c === 1)).toBe(true);
		expect(r.unassigned).toHaveLength(2);
		expect(r.unassigned.filter((id) => counts.has(id))).toEqual([]);
		expect(new Set([...counts.keys(), ...r.unassigned])).toEqual(new Set(class10));
		expect(Object.values(r.counts).sort()).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
	});

	it('gives 8 students and 4 lectures everyone exactly once, each group in roster order', () => {
		const class8 = students(8);
		const r = rotation({ students: class8, lectures: lectures(4, false) });
		expect(Object.values(r.assignments).map((g) => g.length)).toEqual([2, 2, 2, 2]);
		expect([...tally(r.assignments).entries()].sort()).toEqual(class8.map((id) => [id, 1]));
		expect(r.unassigned).toEqual([]);
		for (const group of Object.values(r.assignments)) expect(group).toEqual([...group].sort());
	});

	it('makes one trio for 9 students under the trio policy, at the end of the round', () => {
		const r = rotation({ students: students(9), lectures: lectures(4, false), oddPolicy: 'trio' });
		expect(['L1', 'L2', 'L3', 'L4'].map((id) => r.assignments[id].length)).toEqual([2, 2, 2, 3]);
		expect(tally(r.assignments).size).toBe(9);
		expect(r.unassigned).toEqual([]);
	});

	it('has one student present alone for 9 students under the solo policy', () => {
		const r = rotation({ students: students(9), lectures: lectures(5, false), oddPolicy: 'solo' });
		expect(['L1', 'L2', 'L3', 'L4', 'L5'].map((id) => r.assignments[id].length)).toEqual([
			2, 2, 2, 2, 1
		]);
		expect([...tally(r.assignments).values()]).toEqual(Array(9).fill(1));
		// With only 4 lectures the solo has no slot, and is reported.
		const short = rotation({
			students: students(9),
			lectures: lectures(4, false),
			oddPolicy: 'solo'
		});
		expect(Object.values(short.assignments).map((g) => g.length)).toEqual([2, 2, 2, 2]);
		expect(short.unassigned).toHaveLength(1);
	});

	it('uses the trio early when the round cannot be finished, to seat one more student', () => {
		const r = rotation({ students: students(9), lectures: lectures(3, false), oddPolicy: 'trio' });
		expect(Object.values(r.assignments).map((g) => g.length)).toEqual([3, 2, 2]);
		expect(r.unassigned).toHaveLength(2);
	});

	it('balances repeat presentations when there are more lectures than pairs', () => {
		const class6 = students(6);
		const lecs = lectures(11, false);
		const r = rotation({ students: class6, lectures: lecs, seed: 'balance' });
		// 11 pairs for 6 students: 22 slots, so four students present 4 times and two 3 times.
		expect(Object.values(r.counts).sort()).toEqual([3, 3, 4, 4, 4, 4]);
		// After every lecture no one is more than one presentation ahead of anybody else:
		// nobody presents twice before everyone presented once.
		const running = new Map(class6.map((id) => [id, 0]));
		let previous: string[] = [];
		for (const lecture of lecs) {
			const group = r.assignments[lecture.id];
			expect(group).toHaveLength(2);
			for (const id of group) running.set(id, running.get(id)! + 1);
			expect(Math.max(...running.values()) - Math.min(...running.values())).toBeLessThanOrEqual(1);
			// And nobody presents at two lectures in a row.
			expect(group.filter((id) => previous.includes(id))).toEqual([]);
			previous = group;
		}
	});

	it('pairs students with new partners in the second round where it can', () => {
		const r = rotation({ students: students(8), lectures: lectures(8, false), seed: 3 });
		const pairs = Object.values(r.assignments).map((g) => g.join('+'));
		expect(new Set(pairs).size).toBe(8);
	});

	it('keeps past lectures as they are and counts their presenters', () => {
		const class6 = students(6);
		const lecs = lectures(6);
		lecs[1].presenters = ['s01', 's02'];
		lecs[2].presenters = ['s03', 's04', 'gone']; // 'gone' left the course
		const now = new Date(Date.parse(lecs[3].startsAt) - 60_000); // lecture 4 starts in a minute
		const r = generateRotation({
			students: class6,
			lectures: lecs,
			now,
			oddPolicy: 'trio',
			seed: 9
		});
		expect(Object.keys(r.assignments).sort()).toEqual(['L4', 'L5', 'L6']);
		// The two who have not presented go first; then the round of six goes on.
		expect(r.assignments.L4).toEqual(['s05', 's06']);
		expect(Object.values(r.counts).sort()).toEqual([1, 1, 2, 2, 2, 2]);
		expect(r.counts).not.toHaveProperty('gone');
		expect(r.unassigned).toEqual([]);
	});

	it('treats a lecture that has started as given, and one starting now as open', () => {
		const lecs = lectures(3, false);
		lecs[0].presenters = ['s01', 's02'];
		lecs[1].presenters = ['s03', 's04'];
		const started = rotation({
			students: students(4),
			lectures: lecs,
			now: new Date(Date.parse(lecs[1].startsAt) + 1).toISOString()
		});
		expect(Object.keys(started.assignments)).toEqual(['L3']);
		// Both past pairs count, so lecture 3 goes to one of them again.
		expect(Object.values(started.counts).sort()).toEqual([1, 1, 2, 2]);
		const startingNow = rotation({ students: students(4), lectures: lecs, now: lecs[1].startsAt });
		expect(Object.keys(startingNow.assignments)).toEqual(['L2', 'L3']);
	});

	it('skips lectures given by the instructors, wherever they fall', () => {
		const lecs = lectures(6, false);
		lecs[3].givenByInstructors = true;
		const r = rotation({ students: students(10), lectures: lecs });
		expect(Object.keys(r.assignments)).toEqual(['L1', 'L2', 'L3', 'L5', 'L6']);
	});

	it('orders lectures by start, not by the order given', () => {
		const lecs = lectures(4, false);
		const r1 = rotation({ students: students(5), lectures: lecs, oddPolicy: 'solo' });
		const r2 = rotation({
			students: students(5),
			lectures: [...lecs].reverse(),
			oddPolicy: 'solo'
		});
		expect(r2.assignments).toEqual(r1.assignments);
		expect(r1.assignments.L3).toHaveLength(1);
	});

	it('gives a lone student left by hand-made pairs a partner under trio, or a solo', () => {
		const lecs = lectures(4, false);
		lecs[0].presenters = ['s01', 's02'];
		lecs[1].presenters = ['s03', 's04'];
		const now = lecs[2].startsAt;
		const trio = rotation({ students: students(5), lectures: lecs, now, oddPolicy: 'trio' });
		expect(trio.assignments.L3).toHaveLength(2);
		expect(trio.assignments.L3).toContain('s05');
		const solo = rotation({ students: students(5), lectures: lecs, now, oddPolicy: 'solo' });
		expect(solo.assignments.L3).toEqual(['s05']);
	});

	it('is the same for the same seed and differs for other seeds', () => {
		const input = { students: students(10), lectures: lectures(5) };
		expect(rotation({ ...input, seed: 42 })).toEqual(rotation({ ...input, seed: 42 }));
		expect(rotation({ ...input, seed: 'spring' })).toEqual(rotation({ ...input, seed: 'spring' }));
		const outcomes = new Set(
			Array.from({ length: 12 }, (_, seed) =>
				JSON.stringify(rotation({ ...input, seed }).assignments)
			)
		);
		expect(outcomes.size).toBeGreaterThan(8);
	});

	it('does not change its input', () => {
		const lecs = lectures(5);
		lecs[4].presenters = ['s09', 's10'];
		const snapshot = structuredClone(lecs);
		const class10 = students(10);
		rotation({ students: class10, lectures: lecs });
		expect(lecs).toEqual(snapshot);
		expect(class10).toEqual(students(10));
	});

	it('leaves every open lecture empty when there are no students', () => {
		expect(rotation({ students: [], lectures: lectures(3) })).toEqual({
			assignments: { L2: [], L3: [] },
			unassigned: [],
			counts: {}
		});
	});

	it('refuses duplicate ids and bad dates', () => {
		expect(() => rotation({ students: ['a', 'b', 'a'], lectures: lectures(2) })).toThrow(
			RotationError
		);
		const twice = lectures(2);
		twice[1].id = 'L1';
		expect(() => rotation({ students: students(2), lectures: twice })).toThrow(/L1/);
		const bad = lectures(2);
		bad[1].startsAt = 'next Tuesday';
		expect(() => rotation({ students: students(2), lectures: bad })).toThrow(/valid date/);
		expect(() => rotation({ students: students(2), lectures: lectures(2), now: 'soon' })).toThrow(
			RotationError
		);
	});
});

describe('generateRotation: any class size', () => {
	it('keeps counts within one, groups of two, and the odd group to the policy', () => {
		let trios = 0;
		let solos = 0;
		for (let n = 1; n <= 13; n++) {
			for (const count of [1, 3, 5, 8, 13]) {
				for (const oddPolicy of ['trio', 'solo'] as const) {
					const lecs = lectures(count, false);
					const r = generateRotation({
						students: students(n),
						lectures: lecs,
						now: NOW,
						oddPolicy,
						seed: n * count
					});
					const running = new Map(students(n).map((id) => [id, 0]));
					for (const lecture of lecs) {
						const group = r.assignments[lecture.id];
						expect(new Set(group).size).toBe(group.length);
						if (n === 1) expect(group).toEqual(['s01']);
						else if (group.length === 3) {
							expect(oddPolicy).toBe('trio');
							trios++;
						} else if (group.length === 1) {
							expect(oddPolicy).toBe('solo');
							solos++;
						} else expect(group).toHaveLength(2);
						for (const id of group) running.set(id, running.get(id)! + 1);
						const values = [...running.values()];
						expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
					}
					expect(Object.fromEntries(running)).toEqual(r.counts);
					expect(r.unassigned).toEqual(students(n).filter((id) => running.get(id) === 0));
				}
			}
		}
		expect(trios).toBeGreaterThan(10);
		expect(solos).toBeGreaterThan(10);
	});
});

describe('seeded helpers', () => {
	it('shuffle is a permutation fixed by the seed', () => {
		const items = students(20);
		const a = shuffle(items, seededRandom('x'));
		expect([...a].sort()).toEqual(items);
		expect(shuffle(items, seededRandom('x'))).toEqual(a);
		expect(shuffle(items, seededRandom('y'))).not.toEqual(a);
	});

	it('seededRandom stays in [0, 1)', () => {
		const random = seededRandom(0);
		const values = Array.from({ length: 1000 }, random);
		expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
		expect(new Set(values).size).toBe(1000);
	});
});

describe('swapPresenters', () => {
	const assignments = { L2: ['s01', 's02'], L3: ['s03', 's04'], L4: ['s05', 's06', 's07'] };

	it('exchanges two students and keeps everything else', () => {
		expect(swapPresenters(assignments, 'L2', 's02', 'L4', 's06')).toEqual({
			L2: ['s01', 's06'],
			L3: ['s03', 's04'],
			L4: ['s05', 's02', 's07']
		});
		expect(assignments.L2).toEqual(['s01', 's02']);
	});

	it('refuses lectures or students that are not assigned', () => {
		expect(() => swapPresenters(assignments, 'L9', 's01', 'L3', 's03')).toThrow(/L9/);
		expect(() => swapPresenters(assignments, 'L2', 's01', 'L3', 's09')).toThrow(
			/s09 does not present at lecture L3/
		);
		expect(() => swapPresenters(assignments, 'L2', 's03', 'L3', 's04')).toThrow(RotationError);
		expect(() => swapPresenters(assignments, 'toString', 's01', 'L3', 's03')).toThrow(
			RotationError
		);
	});

	it('refuses a swap within one lecture or one that seats a student twice', () => {
		expect(() => swapPresenters(assignments, 'L2', 's01', 'L2', 's02')).toThrow(/two different/);
		const overlapping = { L2: ['s01', 's02'], L3: ['s01', 's03'] };
		expect(() => swapPresenters(overlapping, 'L2', 's02', 'L3', 's01')).toThrow(/already/);
	});
});
