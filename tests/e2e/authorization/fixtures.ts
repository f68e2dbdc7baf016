import type { PGlite } from '@electric-sql/pglite';
import { DEMO_PASSWORD, STUDENTS, TA, INSTRUCTOR } from '$lib/server/demo/content';
import { pngImage } from '../../fixtures/images';
import { samplePaperPdf } from '../../fixtures/pdf';
import { PASSWORD, uniqueEmail } from '../harness';
import { Client, type Body, type Request } from './client';

/**
 * Who asks. In the demo course: Julia presents no lecture, Chen presents lecture 3 and
 * Emil lecture 4, the lecture every lecture route of the matrix is about.
 */
export const ACTORS = [
	'anonymous',
	'outsider',
	'student',
	'otherPresenter',
	'presenter',
	'ta',
	'instructor'
] as const;
export type Actor = (typeof ACTORS)[number];

const byName = (first: string) => STUDENTS.find((s) => s.email.startsWith(`${first}@`))!;
const DEMO_ACCOUNTS = {
	student: byName('julia'),
	otherPresenter: byName('chen'),
	presenter: byName('emil'),
	ta: TA,
	instructor: INSTRUCTOR
};
/** Someone else in the class (presents lecture 5): asks the question the others vote on. */
const BYSTANDER = byName('hana');

/** The lecture the matrix is about (Emil and Farah present it; it has a paper). */
const LECTURE = 4;

/** Marked texts: a refusal must never show them. */
export const SECRET = {
	deck: 'AUTHZ-DECK-SECRET',
	annotation: 'AUTHZ-ANNOTATION-SECRET',
	privateAnnotation: 'AUTHZ-PRIVATE-SECRET',
	critique: 'AUTHZ-CRITIQUE-SECRET',
	question: 'AUTHZ-QUESTION-SECRET',
	miniProject: 'AUTHZ-MINI-PROJECT'
};

/** A word only the private annotation uses: what a search finds it by. */
export const PRIVATE_WORD = 'zirconium';

export interface Fixtures {
	course: string;
	courseTitle: string;
	lecture: string;
	/** The instructors' lecture, with the demo's critiques (one anonymous). */
	lecture1: string;
	paper: string;
	paperTitle: string;
	paperSha: string;
	users: Record<Exclude<Actor, 'anonymous'>, string>;
	outsiderEmail: string;
	/** A course the outsider created: they are its instructor. */
	outsiderCourse: string;
	joinCode: string;
	inviteToken: string;
	/** The student's feed address. */
	calendarToken: string;
	/** The student's: a class annotation and a private one, on the lecture's paper. */
	annotation: string;
	privateAnnotation: string;
	/** The student's paper critique of the lecture, and the presenters' answer to it. */
	critique: string;
	presenterReply: string;
	/** The student's mini-project report. */
	submission: string;
	/** A question of the bystander in the lecture's talk. */
	question: string;
	deckImage: string;
	/** One of the student's notifications (the presenters' answer). */
	notification: string;
	/** The TA's demo announcement. */
	announcement: string;
	/** The paper's annotations as the student exports them: a file to import. */
	annotationExport: string;
	/** The outsider's own course as its instructor exports it: a course file to import. */
	courseExport: Uint8Array;
	/** Throwaways, one per actor, for actions that destroy what they act on. */
	spare: {
		lecture: Record<Actor, string>;
		reading: Record<Actor, string>;
		announcement: Record<Actor, string>;
		annotation: Record<Actor, string>;
		member: Record<Actor, string>;
		pendingEmail: Record<Actor, string>;
	};
}

export type Clients = Record<Actor, Client>;

export function form(fields: Record<string, string | string[] | Blob>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (Array.isArray(value)) for (const v of value) data.append(name, v);
		else if (value instanceof Blob) data.append(name, value, name === 'file' ? 'file' : name);
		else data.append(name, value);
	}
	return data;
}

export const pdfFile = async () =>
	new File([(await samplePaperPdf()) as Uint8Array<ArrayBuffer>], 'report.pdf', {
		type: 'application/pdf'
	});

/** A valid figure region on page 1: the simplest target the annotation form accepts. */
export const REGION = JSON.stringify({
	kind: 'region',
	page: 1,
	rect: { x: 40, y: 60, width: 120, height: 80 }
});

export const PAPER_CRITIQUE = {
	kind: 'paper',
	summary: `${SECRET.critique}: what the paper does.`,
	strengths: 'Sharding state is explained step by step.',
	weaknesses: 'The network cost of stage three is never weighed.',
	soundness: '3',
	significance: '3',
	clarity: '3',
	confidence: '3'
};

async function must(client: Client, request: Request) {
	const answer = await client.send(request);
	if (answer.outcome !== 'ok' && answer.outcome !== 'redirect') {
		throw new Error(
			`Set-up step ${request.method} ${request.path}: ${answer.outcome} ${answer.text}`
		);
	}
	return answer;
}

const action = (path: string, body: Body): Request => ({
	method: 'POST',
	path,
	body,
	action: true
});

interface Base {
	course: string;
	lecture: string;
	lecture1: string;
	joinCode: string;
	outsiderEmail: string;
	outsiderCourse: string;
	annotationExport: string;
	courseExport: Uint8Array;
}

/** A file as its download link gives it (a binary body, which `Client.send` reads as text). */
async function download(client: Client, path: string): Promise<Uint8Array> {
	const response = await fetch(client.base + path, {
		headers: client.cookie ? { cookie: client.cookie } : {}
	});
	if (!response.ok) throw new Error(`Downloading ${path} failed (${response.status}).`);
	return new Uint8Array(await response.arrayBuffer());
}

/** Finds `pattern`'s first group in a page the instructor reads. */
async function scrape(client: Client, path: string, pattern: RegExp): Promise<string> {
	const page = await client.send({ method: 'GET', path });
	const match = pattern.exec(page.text);
	if (!match) throw new Error(`${path} does not show ${pattern}`);
	return match[1];
}

/** The demo course's ids the set-up needs, read from its pages as the instructor. */
async function readBase(
	instructor: Client
): Promise<Omit<Base, 'outsiderEmail' | 'outsiderCourse' | 'annotationExport' | 'courseExport'>> {
	const course = await scrape(instructor, '/courses', /href="\/courses\/([A-Za-z0-9_-]{8,})"/);
	const lectureNumbered = (n: number) =>
		scrape(
			instructor,
			`/courses/${course}/lectures`,
			new RegExp(`/lectures/([A-Za-z0-9_-]+)"\\s*>Lecture ${n}:`)
		);
	const [lecture, lecture1] = [await lectureNumbered(LECTURE), await lectureNumbered(1)];
	const joinCode = await scrape(
		instructor,
		`/courses/${course}/settings`,
		/aria-label="Join code">([^<]+)</
	);
	return { course, lecture, lecture1, joinCode };
}

/** Signs every actor in (the outsider signs up) and creates what the matrix acts on. */
export async function setUp(url: string): Promise<{ clients: Clients; base: Base }> {
	const clients = Object.fromEntries(ACTORS.map((a) => [a, new Client(url)])) as Clients;
	for (const [actor, account] of Object.entries(DEMO_ACCOUNTS)) {
		await clients[actor as Actor].signIn(account.email, DEMO_PASSWORD);
	}
	const outsiderEmail = uniqueEmail('authz-outsider');
	await clients.outsider.signUp('Olga Outsider', outsiderEmail, PASSWORD);
	const created = await must(
		clients.outsider,
		action('/courses/new', form({ title: "Olga's own course", timeZone: 'Europe/Berlin' }))
	);
	const base: Base = {
		...(await readBase(clients.instructor)),
		outsiderEmail,
		outsiderCourse: /^\/courses\/([^/?#]+)/.exec(created.location ?? '')?.[1] ?? '',
		annotationExport: '',
		courseExport: new Uint8Array()
	};
	const bystander = new Client(url);
	await bystander.signIn(BYSTANDER.email, DEMO_PASSWORD);

	const c = `/courses/${base.course}`;
	const l = `${c}/lectures/${base.lecture}`;
	const { instructor, presenter, student } = clients;
	const paper = await paperOf(clients, base);

	for (const actor of ACTORS) {
		const spare = new Client(url);
		await spare.signUp(`Spare member for ${actor}`, spareEmail(actor), PASSWORD);
		await must(spare, action('/join', form({ code: base.joinCode })));
		await must(
			instructor,
			action(
				`${c}/lectures/new`,
				form({
					number: String(40 + ACTORS.indexOf(actor)),
					title: `Spare lecture for ${actor}`,
					startsAt: '2030-01-09T16:00',
					endsAt: '2030-01-09T18:00'
				})
			)
		);
		await must(
			instructor,
			action(`${l}?/addReading`, form({ title: `Spare reading for ${actor}`, kind: 'blog_post' }))
		);
		await must(
			instructor,
			action(
				`${c}?/postAnnouncement`,
				form({ title: `Spare announcement for ${actor}`, body: 'x' })
			)
		);
		await must(
			student,
			action(
				`${c}/papers/${paper}?/annotate`,
				form({ target: REGION, body: `Spare annotation for ${actor}`, visibility: 'class' })
			)
		);
	}
	await must(
		instructor,
		action(
			`${c}/members?/importRoster`,
			form({
				csv: ACTORS.map((a) => `${pendingEmail(a)},Pending for ${a}`).join('\n'),
				role: 'student'
			})
		)
	);
	await must(
		instructor,
		action(
			`${l}/mini-project?/publish`,
			form({ title: SECRET.miniProject, description: 'Measure it.', dueAt: '', maxPoints: '10' })
		)
	);

	await must(
		student,
		action(
			`${c}/papers/${paper}?/annotate`,
			form({ target: REGION, body: SECRET.annotation, visibility: 'class' })
		)
	);
	await must(
		student,
		action(
			`${c}/papers/${paper}?/annotate`,
			form({
				target: REGION,
				body: `${SECRET.privateAnnotation}: ${PRIVATE_WORD} caches`,
				visibility: 'private'
			})
		)
	);
	base.courseExport = await download(
		clients.outsider,
		`/courses/${base.outsiderCourse}/settings/export`
	);
	base.annotationExport = (
		await must(student, { method: 'GET', path: `${c}/papers/${paper}/export` })
	).text;
	const submitted = await must(
		student,
		action(`${l}/critiques/paper?/submit`, form(PAPER_CRITIQUE))
	);
	const critique = /#critique-(.+)$/.exec(submitted.location ?? '')?.[1];
	await must(
		presenter,
		action(
			`${l}/critiques?/reply`,
			form({ critiqueId: critique ?? '', body: 'We will show it.', asPresenters: 'on' })
		)
	);
	await must(student, action(`${l}/mini-project?/submit`, form({ file: await pdfFile() })));

	await must(
		presenter,
		action(
			`${l}/deck?/save`,
			form({ source: `# ${SECRET.deck}\n\n---\n\n## Two`, baseRevision: '0' })
		)
	);
	await must(presenter, {
		method: 'POST',
		path: `${l}/deck/images`,
		body: form({
			file: new File([pngImage(64, 48, 77) as Uint8Array<ArrayBuffer>], 'figure.png', {
				type: 'image/png'
			})
		})
	});
	await must(presenter, action(`${l}/present?/start`, form({})));
	await must(bystander, action(`${l}/live?/ask`, form({ body: SECRET.question, h: '0', v: '0' })));
	await must(presenter, action(`${l}/present?/end`, form({})));
	await must(presenter, action(`${l}/deck?/publish`, form({ when: 'draft' })));
	return { clients, base };
}

/** The lecture's paper (the demo uploads one), from its reading on the lecture page. */
async function paperOf(clients: Clients, base: Base): Promise<string> {
	const page = await clients.instructor.send({
		method: 'GET',
		path: `/courses/${base.course}/lectures/${base.lecture}`
	});
	const match = new RegExp(`/courses/${base.course}/papers/([A-Za-z0-9_-]+)`).exec(page.text);
	if (!match) throw new Error('Lecture 4 has no paper.');
	return match[1];
}

const spareEmail = (actor: Actor) => `authz-spare-${actor.toLowerCase()}@example.org`;
const pendingEmail = (actor: Actor) => `authz-pending-${actor.toLowerCase()}@example.org`;

async function one<T = Record<string, string>>(
	db: PGlite,
	sql: string,
	params: unknown[]
): Promise<T> {
	const result = await db.query<T>(sql, params);
	if (result.rows.length !== 1) {
		throw new Error(`Expected one row, got ${result.rows.length}: ${sql} ${params.join(', ')}`);
	}
	return result.rows[0];
}

/** Every id the matrix fills routes with, read after the set-up. */
export async function readFixtures(db: PGlite, base: Base): Promise<Fixtures> {
	const id = async (sql: string, ...params: unknown[]) =>
		(await one<{ id: string }>(db, sql, params)).id;
	const perActor = async (make: (actor: Actor) => Promise<string>) =>
		Object.fromEntries(await Promise.all(ACTORS.map(async (a) => [a, await make(a)]))) as Record<
			Actor,
			string
		>;
	const userId = (email: string) => id('select id from users where email = $1', email);
	const { lecture, outsiderEmail } = base;
	const course = await one(db, 'select title, invite_token from courses where id = $1', [
		base.course
	]);
	const paper = await one(db, 'select id, title, file_sha256 from papers where lecture_id = $1', [
		lecture
	]);
	const student = await userId(DEMO_ACCOUNTS.student.email);
	const critique = await id(
		'select id from critiques where lecture_id = $1 and author_id = $2',
		lecture,
		student
	);
	return {
		course: base.course,
		courseTitle: course.title,
		lecture,
		lecture1: base.lecture1,
		paper: paper.id,
		paperTitle: paper.title,
		paperSha: paper.file_sha256,
		users: {
			outsider: await userId(outsiderEmail),
			student,
			otherPresenter: await userId(DEMO_ACCOUNTS.otherPresenter.email),
			presenter: await userId(DEMO_ACCOUNTS.presenter.email),
			ta: await userId(TA.email),
			instructor: await userId(INSTRUCTOR.email)
		},
		outsiderEmail,
		outsiderCourse: base.outsiderCourse,
		annotationExport: base.annotationExport,
		courseExport: base.courseExport,
		joinCode: base.joinCode,
		inviteToken: course.invite_token,
		calendarToken: (
			await one(
				db,
				'select calendar_token from memberships where course_id = $1 and user_id = $2',
				[base.course, student]
			)
		).calendar_token,
		annotation: await id('select id from annotations where body = $1', SECRET.annotation),
		privateAnnotation: await id(
			'select id from annotations where body like $1',
			`${SECRET.privateAnnotation}%`
		),
		critique,
		presenterReply: await id('select id from critique_replies where critique_id = $1', critique),
		submission: await id('select id from mini_project_submissions where user_id = $1', student),
		question: await id('select id from talk_questions where body = $1', SECRET.question),
		deckImage: (await one(db, 'select sha256 from deck_images where lecture_id = $1', [lecture]))
			.sha256,
		notification: await id(
			`select id from notifications where user_id = $1 and kind = 'answer'`,
			student
		),
		announcement: await id(
			'select id from announcements where course_id = $1 and title = $2',
			base.course,
			'Mini-project 1 is out'
		),
		spare: {
			lecture: await perActor((a) =>
				id('select id from lectures where title = $1', `Spare lecture for ${a}`)
			),
			reading: await perActor((a) =>
				id('select id from readings where title = $1', `Spare reading for ${a}`)
			),
			announcement: await perActor((a) =>
				id('select id from announcements where title = $1', `Spare announcement for ${a}`)
			),
			annotation: await perActor((a) =>
				id('select id from annotations where body = $1', `Spare annotation for ${a}`)
			),
			member: await perActor((a) => userId(spareEmail(a))),
			pendingEmail: Object.fromEntries(ACTORS.map((a) => [a, pendingEmail(a)])) as Record<
				Actor,
				string
			>
		}
	};
}
