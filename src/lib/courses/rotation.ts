/**
 * Presenter rotation: who leads which lecture, so that every student presents about
 * equally often across the course. Pure functions, shared by server and browser.
 *
 * The rotation is built lecture by lecture, in date order. Each lecture goes to the
 * students who have presented least so far (past lectures count), in an order shuffled
 * from the seed, so a new seed gives a different rotation and the same seed the same one.
 * A "round" is the set of students at the lowest count: it is served by pairs, and when
 * it has an odd number of students one group is a trio (`oddPolicy: 'trio'`) or one
 * student presents alone (`'solo'`). A round is finished before anybody starts the next,
 * so nobody presents twice before everyone presented once, and any two students' counts
 * differ by at most one once the past ones do. Within that, a student who presented at
 * the previous lecture does not start the next round, and partners who already
 * presented together are split up where the round allows.
 */

export type OddPolicy = 'trio' | 'solo';

export interface RotationLecture {
	id: string;
	number: number;
	/** ISO 8601 date-time. */
	startsAt: string;
	givenByInstructors: boolean;
	/** Current presenters; a lecture that started before `now` keeps them. */
	presenters: readonly string[];
}

export interface RotationInput {
	/** Student ids, in a stable order (e.g. by name); the order of each group follows it. */
	students: readonly string[];
	lectures: readonly RotationLecture[];
	now: Date | string;
	oddPolicy: OddPolicy;
	/** Any number or text; another seed gives another rotation. */
	seed: number | string;
}

export interface RotationResult {
	/**
	 * Presenters for every lecture that is not given by the instructors and has not
	 * started by `now` (`[]` only when there are no students).
	 */
	assignments: Record<string, string[]>;
	/** Students who present neither in a past lecture nor in `assignments`, in input order. */
	unassigned: string[];
	/** How often each student presents over the whole course, past lectures included. */
	counts: Record<string, number>;
}

/** Input the rotation cannot work with, or a swap that does not fit the assignments. */
export class RotationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RotationError';
	}
}

/** 32-bit FNV-1a of the seed's text, so strings and numbers both seed the generator. */
function hashSeed(seed: number | string): number {
	const text = String(seed);
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** mulberry32: a small, fast PRNG with good enough spread for shuffling a class list. */
export function seededRandom(seed: number | string): () => number {
	let a = hashSeed(seed);
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

function time(value: Date | string, what: string): number {
	const ms = value instanceof Date ? value.getTime() : Date.parse(value);
	if (!Number.isFinite(ms))
		throw new RotationError(`${what} is not a valid date: ${String(value)}`);
	return ms;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Builds the rotation; see the module comment for the rules. */
export function generateRotation(input: RotationInput): RotationResult {
	const { students, oddPolicy } = input;
	if (oddPolicy !== 'trio' && oddPolicy !== 'solo') {
		throw new RotationError(`Unknown policy for an odd class: ${String(oddPolicy)}`);
	}
	const position = new Map<string, number>();
	students.forEach((id, i) => {
		if (position.has(id)) throw new RotationError(`Student ${id} is listed twice.`);
		position.set(id, i);
	});
	const lectureIds = new Set<string>();
	for (const lecture of input.lectures) {
		if (lectureIds.has(lecture.id))
			throw new RotationError(`Lecture ${lecture.id} is listed twice.`);
		lectureIds.add(lecture.id);
	}

	const now = time(input.now, 'now');
	const lectures = input.lectures
		.map((lecture) => ({
			lecture,
			at: time(lecture.startsAt, `Lecture ${lecture.number}'s start`)
		}))
		.sort((x, y) => x.at - y.at || x.lecture.number - y.lecture.number);

	const counts = new Map(students.map((id) => [id, 0]));
	const partnered = new Set<string>();
	let previous = new Set<string>();

	const record = (group: readonly string[]) => {
		for (const id of group) counts.set(id, (counts.get(id) ?? 0) + 1);
		for (let i = 0; i < group.length; i++)
			for (let j = i + 1; j < group.length; j++) partnered.add(pairKey(group[i], group[j]));
		previous = new Set(group);
	};

	const open: RotationLecture[] = [];
	for (const { lecture, at } of lectures) {
		if (at < now) {
			// Given already: keeps its presenters, who count. Ids that are no longer students are ignored.
			record([...new Set(lecture.presenters)].filter((id) => position.has(id)));
		} else if (lecture.givenByInstructors) {
			previous = new Set();
		} else {
			open.push(lecture);
		}
	}

	const random = seededRandom(input.seed);
	// One shuffled order per count level, drawn when first needed, so rounds differ.
	const orders = new Map<number, Map<string, number>>();
	const orderAt = (level: number) => {
		let order = orders.get(level);
		if (!order) {
			order = new Map(shuffle(students, random).map((id, i) => [id, i]));
			orders.set(level, order);
		}
		return order;
	};
	const atLevel = (level: number) => {
		const order = orderAt(level);
		return students
			.filter((id) => counts.get(id) === level)
			.sort((x, y) => order.get(x)! - order.get(y)!);
	};

	const assignments: Record<string, string[]> = {};
	open.forEach((lecture, index) => {
		if (students.length === 0) {
			assignments[lecture.id] = [];
			return;
		}
		const remaining = open.length - index;
		const low = Math.min(...counts.values());
		const round = atLevel(low);
		const k = round.length;

		let size: number;
		if (k === 1) size = oddPolicy === 'solo' || students.length === 1 ? 1 : 2;
		else if (k % 2 === 1 && oddPolicy === 'trio' && (k === 3 || remaining < (k - 1) / 2)) {
			// The round's trio: at its end, or now if the round cannot be finished anyway.
			size = 3;
		} else size = 2;

		// Who leads the group: somebody at the lowest count, not a presenter of the previous lecture if possible.
		const first = round.find((id) => !previous.has(id)) ?? round[0];
		const group = [first];
		const candidates = [
			...round.filter((id) => id !== first),
			// A single student left in a round under the trio policy is paired with the next round.
			...(round.length < size ? atLevel(low + 1) : [])
		];
		while (group.length < size && candidates.length > 0) {
			// Prefer somebody who did not just present, then somebody new to everyone in the group.
			const score = (id: string) =>
				(previous.has(id) ? 2 : 0) + (group.some((g) => partnered.has(pairKey(g, id))) ? 1 : 0);
			let best = 0;
			for (let i = 1; i < candidates.length; i++) {
				if (score(candidates[i]) < score(candidates[best])) best = i;
			}
			group.push(...candidates.splice(best, 1));
		}

		group.sort((x, y) => position.get(x)! - position.get(y)!);
		assignments[lecture.id] = group;
		record(group);
	});

	return {
		assignments,
		unassigned: students.filter((id) => counts.get(id) === 0),
		counts: Object.fromEntries(counts)
	};
}

/**
 * Exchanges `studentA` (presenting at `lectureA`) with `studentB` (at `lectureB`): each
 * takes the other's place. Returns new assignments; the input is left as it is. Throws
 * {@link RotationError} when a lecture is not in the assignments, a student is not
 * assigned to the lecture named, the lectures are the same, or a student would then
 * present twice at one lecture.
 */
export function swapPresenters(
	assignments: Readonly<Record<string, readonly string[]>>,
	lectureA: string,
	studentA: string,
	lectureB: string,
	studentB: string
): Record<string, string[]> {
	const groupA = Object.hasOwn(assignments, lectureA) ? assignments[lectureA] : undefined;
	const groupB = Object.hasOwn(assignments, lectureB) ? assignments[lectureB] : undefined;
	if (!groupA) throw new RotationError(`Lecture ${lectureA} has no assignment to swap.`);
	if (!groupB) throw new RotationError(`Lecture ${lectureB} has no assignment to swap.`);
	if (lectureA === lectureB) throw new RotationError('A swap needs two different lectures.');
	const indexA = groupA.indexOf(studentA);
	const indexB = groupB.indexOf(studentB);
	if (indexA < 0) throw new RotationError(`${studentA} does not present at lecture ${lectureA}.`);
	if (indexB < 0) throw new RotationError(`${studentB} does not present at lecture ${lectureB}.`);
	if (studentA === studentB)
		throw new RotationError('A student cannot be swapped with themselves.');
	if (groupB.includes(studentA)) {
		throw new RotationError(`${studentA} already presents at lecture ${lectureB}.`);
	}
	if (groupA.includes(studentB)) {
		throw new RotationError(`${studentB} already presents at lecture ${lectureA}.`);
	}

	const out: Record<string, string[]> = {};
	for (const [id, group] of Object.entries(assignments)) out[id] = [...group];
	out[lectureA][indexA] = studentB;
	out[lectureB][indexB] = studentA;
	return out;
}
