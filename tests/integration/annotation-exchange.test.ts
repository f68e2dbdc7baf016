import { beforeAll, describe, expect, it } from 'vitest';
import { ANNO_CONTEXT, NOT_W3C_MESSAGE } from '$lib/annotations/w3c';
import type { AnnotationTarget, Visibility } from '$lib/annotations/types';
import type { DocumentText } from '$lib/papers/page-text';
import { db } from '$lib/server/db';
import { activity } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { createLecture } from '$lib/server/lectures/service';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import {
	createAnnotation,
	deleteAnnotation,
	listThreads,
	reply,
	setStaffFlag
} from '$lib/server/annotations/service';
import { exportAnnotations, importAnnotations } from '$lib/server/annotations/exchange';
import { samplePaperPdf } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	expectNothingWritten,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

const ORIGIN = 'https://podium.example.org';

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let alice: SessionUser;
let bob: SessionUser;
let outsider: SessionUser;
let paperA: Paper;
let paperB: Paper;
let doc: DocumentText;
/** Annotation ids on paper A, by their body. */
const ids: Record<string, string> = {};
const targets: Record<string, AnnotationTarget> = {};

beforeAll(async () => {
	({ course, instructor } = await makeCourse({}, await makeUser('Ines Instructor')));
	ta = await asTaOf(course, await makeUser('Tariq TA'));
	alice = await asStudentOf(course, await makeUser('Alice'));
	bob = await asStudentOf(course, await makeUser('Bob'));
	outsider = await makeUser('Olga Outsider');
	const lecture1 = await createLecture(instructor, course.id, lectureInput({ number: 1 }));
	const lecture2 = await createLecture(
		instructor,
		course.id,
		lectureInput({ number: 2, startsAt: '2026-12-16T16:00', endsAt: '2026-12-16T18:00' })
	);
	// The same PDF in two lectures: two papers with the same text.
	const bytes = await samplePaperPdf();
	paperA = await uploadPaper(instructor, course.id, lecture1, { bytes, name: 'a.pdf' });
	paperB = await uploadPaper(instructor, course.id, lecture2, { bytes, name: 'b.pdf' });
	doc = await paperDocument(instructor, course.id, paperA.id);

	const add = async (
		author: SessionUser,
		body: string,
		visibility: Visibility,
		target: AnnotationTarget,
		tags: string[] = []
	) => {
		targets[body] = target;
		ids[body] = await createAnnotation(author, course.id, paperA.id, {
			target,
			body,
			tags,
			visibility
		});
	};
	await add(alice, 'Alice for the class', 'class', passage(doc, 'Abstract'), ['strength']);
	ids['Bob agrees'] = await reply(
		bob,
		course.id,
		paperA.id,
		ids['Alice for the class'],
		'Bob agrees'
	);
	await add(alice, 'Alice for herself', 'private', passage(doc, 'Introduction'));
	await add(alice, 'Alice on the figure', 'class', {
		kind: 'region',
		page: 1,
		rect: { x: 54, y: 400, width: 240, height: 110 }
	});
	await add(bob, 'Bob for himself', 'private', passage(doc, 'Method'));
	await add(bob, 'Bob to the staff', 'staff', passage(doc, 'Evaluation'), ['question']);
	await add(instructor, 'Instructor to the staff', 'staff', passage(doc, 'Conclusion'));
	await add(bob, 'Bob off-topic', 'class', passage(doc, 'Abstract'));
	await setStaffFlag(instructor, course.id, paperA.id, ids['Bob off-topic'], 'hidden', true);
	await add(alice, 'Alice deleted', 'class', passage(doc, 'Abstract'));
	await deleteAnnotation(alice, course.id, paperA.id, ids['Alice deleted']);
});

type Json = Record<string, unknown>;

/** The annotations of an exported collection. */
function itemsOf(collection: Json): Json[] {
	const first = collection.first as Json | undefined;
	return (first?.items as Json[] | undefined) ?? [];
}

/** The comment of each exported annotation. */
function bodiesOf(collection: Json): string[] {
	return itemsOf(collection)
		.map((item) => {
			const bodies = item.body as Json[];
			return bodies.find((b) => b.purpose === 'commenting' || b.purpose === 'replying')
				?.value as string;
		})
		.sort();
}

const iri = (id: string, paper = paperA) =>
	`${ORIGIN}/courses/${course.id}/papers/${paper.id}#annotation-${id}`;

describe('exportAnnotations', () => {
	it('writes a W3C AnnotationCollection with replies, tags and both kinds of targets', async () => {
		const collection = await exportAnnotations(alice, course.id, paperA.id, ORIGIN);
		expect(collection).toMatchObject({
			'@context': ANNO_CONTEXT,
			type: 'AnnotationCollection',
			id: `${ORIGIN}/courses/${course.id}/papers/${paperA.id}/export`,
			total: itemsOf(collection).length,
			first: { type: 'AnnotationPage', startIndex: 0 }
		});
		expect(JSON.parse(JSON.stringify(collection))).toEqual(collection);

		const byId = new Map(itemsOf(collection).map((item) => [item.id, item]));
		const root = byId.get(iri(ids['Alice for the class']));
		expect(root).toMatchObject({
			type: 'Annotation',
			motivation: 'commenting',
			creator: { type: 'Person', name: 'Alice' },
			body: [
				{ type: 'TextualBody', value: 'Alice for the class', purpose: 'commenting' },
				{ type: 'TextualBody', value: 'strength', purpose: 'tagging' }
			]
		});
		const selectors = (root!.target as Json).selector as Json[];
		const quote = targets['Alice for the class'];
		expect(quote.kind).toBe('text');
		expect(selectors).toContainEqual(
			expect.objectContaining({ type: 'TextQuoteSelector', exact: 'Abstract' })
		);
		expect(byId.get(iri(ids['Bob agrees']))).toMatchObject({
			motivation: 'replying',
			target: iri(ids['Alice for the class']),
			creator: { name: 'Bob' }
		});
		expect(byId.get(iri(ids['Alice on the figure']))).toMatchObject({
			target: {
				type: 'SpecificResource',
				selector: { type: 'FragmentSelector', value: 'page=1&viewrect=54,400,240,110' }
			}
		});
	});

	it.each([
		[
			'a student',
			() => alice,
			['Alice for herself', 'Alice for the class', 'Alice on the figure', 'Bob agrees']
		],
		[
			'another student, author of a hidden comment',
			() => bob,
			[
				'Alice for the class',
				'Alice on the figure',
				'Bob agrees',
				'Bob for himself',
				'Bob off-topic',
				'Bob to the staff'
			]
		],
		[
			'a TA',
			() => ta,
			[
				'Alice for the class',
				'Alice on the figure',
				'Bob agrees',
				'Bob off-topic',
				'Bob to the staff',
				'Instructor to the staff'
			]
		]
	] as const)('holds only what %s may see, and nothing deleted', async (_, who, expected) => {
		const collection = await exportAnnotations(who(), course.id, paperA.id, ORIGIN);
		expect(bodiesOf(collection)).toEqual(expected);
		expect(collection.total).toBe(expected.length);
	});

	it('answers 404 to non-members and for a paper of another course', async () => {
		await expectHttpError(exportAnnotations(outsider, course.id, paperA.id, ORIGIN), 404);
		const { course: other, instructor: otherInstructor } = await makeCourse({ title: 'Other' });
		await expectHttpError(exportAnnotations(otherInstructor, other.id, paperA.id, ORIGIN), 404);
	});
});

describe('importAnnotations', () => {
	let exported: string;

	beforeAll(async () => {
		exported = JSON.stringify(await exportAnnotations(alice, course.id, paperA.id, ORIGIN));
	});

	/** Threads on paper B that `viewer` sees, of those made since `before` (by id). */
	async function newThreads(viewer: SessionUser, before: Set<string>) {
		return (await listThreads(viewer, course.id, paperB.id)).filter((t) => !before.has(t.id));
	}

	async function threadIdsOnB(viewer: SessionUser) {
		return new Set((await listThreads(viewer, course.id, paperB.id)).map((t) => t.id));
	}

	it('recreates an export on a paper with the same text as the importer´s own', async () => {
		const before = await threadIdsOnB(instructor);
		const beforeActivity = new Set((await db().select().from(activity)).map((r) => r.id));

		const outcome = await importAnnotations(bob, course.id, paperB.id, exported, 'private');
		expect(outcome).toEqual({ ok: true, count: 4 });

		const threads = await newThreads(bob, before);
		expect(threads.map((t) => t.body).sort()).toEqual([
			'Alice for herself',
			'Alice for the class',
			'Alice on the figure'
		]);
		for (const t of threads) {
			expect(t).toMatchObject({ isMine: true, authorName: 'Bob', visibility: 'private' });
			expect(t.target).toEqual(targets[t.body]);
		}
		const root = threads.find((t) => t.body === 'Alice for the class')!;
		expect(root.tags).toEqual(['strength']);
		expect(root.replies).toMatchObject([
			{ body: 'Bob agrees', parentId: root.id, isMine: true, visibility: 'private' }
		]);
		// Private: nobody else sees them.
		expect(await newThreads(alice, before)).toEqual([]);
		expect(await newThreads(instructor, before)).toEqual([]);

		const added = (await db().select().from(activity)).filter((r) => !beforeActivity.has(r.id));
		expect(added.map((r) => [r.userId, r.kind, r.details.imported]).sort()).toEqual([
			[bob.id, 'annotation_created', true],
			[bob.id, 'annotation_created', true],
			[bob.id, 'annotation_created', true],
			[bob.id, 'reply_created', true]
		]);
		expect(added.map((r) => r.subjectId).sort()).toEqual(
			[...threads.map((t) => t.id), root.replies[0].id].sort()
		);
	});

	it('shares the imported annotations with the class when asked to', async () => {
		const before = await threadIdsOnB(instructor);
		const outcome = await importAnnotations(ta, course.id, paperB.id, exported, 'class');
		expect(outcome).toEqual({ ok: true, count: 4 });
		const seen = await newThreads(alice, before);
		expect(seen).toHaveLength(3);
		for (const t of seen) expect(t).toMatchObject({ authorName: 'Tariq TA', isMine: false });
		expect(seen.find((t) => t.body === 'Alice for the class')!.replies).toHaveLength(1);
	});

	const collection = (items: Json[]): string =>
		JSON.stringify({
			'@context': ANNO_CONTEXT,
			type: 'AnnotationCollection',
			id: `${ORIGIN}/c`,
			total: items.length,
			...(items.length > 0 && {
				first: { id: `${ORIGIN}/c#1`, type: 'AnnotationPage', items }
			})
		});

	it.each([
		['a file that is not JSON', (): string => '{"@context": ', /not JSON/],
		['JSON that is not W3C', (): string => '{"annotations": []}', NOT_W3C_MESSAGE],
		['an empty collection', (): string => collection([]), /no annotations/],
		[
			'a collection whose last annotation is on a page the paper lacks',
			(): string => {
				const items = itemsOf(JSON.parse(exported) as Json);
				const last = structuredClone(items[items.length - 1]);
				last.id = `${ORIGIN}/elsewhere`;
				last.motivation = 'commenting';
				last.target = {
					type: 'SpecificResource',
					source: `${ORIGIN}/paper.pdf`,
					selector: {
						type: 'FragmentSelector',
						conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
						value: 'page=9&viewrect=10,10,50,50'
					}
				};
				return collection([...items, last]);
			},
			/Annotation 5/
		]
	] as const)('refuses %s with a message, and imports nothing', async (_, file, message) => {
		const text = file();
		await expectNothingWritten(async () => {
			const outcome = await importAnnotations(alice, course.id, paperB.id, text, 'class');
			expect(outcome.ok).toBe(false);
			if (!outcome.ok) expect(outcome.message).toMatch(message);
		});
	});

	it('answers 404 to non-members, and writes nothing', async () => {
		await expectNothingWritten(() =>
			expectHttpError(importAnnotations(outsider, course.id, paperB.id, exported, 'class'), 404)
		);
	});
});
