import type { Body, Outcome } from './client';
import {
	PAPER_CRITIQUE,
	PRIVATE_WORD,
	REGION,
	SECRET,
	ACTORS,
	form,
	pdfFile,
	type Actor,
	type Fixtures
} from './fixtures';
import { pngImage } from '../../fixtures/images';
import { PARTICIPATION_ITEMS } from '$lib/participation/rules';

export type Expected = Record<Actor, Outcome>;

/**
 * One cell per actor of one way into the app. Lecture routes are about lecture 4 (the
 * presenter's); actions get a body that would change something if the check were missing.
 */
export interface Row {
	/** As `discoverRoutes` names it: `page /…`, `action /…?/name`, `GET /…`. */
	key: string;
	/** Several rows of one key say what differs (another fixture). */
	variant?: string;
	/** Route parameters beyond the defaults (course, lecture, paper, …). */
	params?: (fx: Fixtures, actor: Actor) => Record<string, string>;
	query?: string;
	body?: (fx: Fixtures, actor: Actor) => Body | Promise<Body>;
	expect: Expected;
	/** Texts a refusal must not show (a not-found must not show the course's title either). */
	secrets?: (fx: Fixtures) => string[];
	/** Texts these actors must not get even where they are allowed in. */
	hidden?: { from: Actor[]; texts: (fx: Fixtures) => string[] };
	/** Only these actors' cells are run (all, without it). */
	actors?: Actor[];
	/** Texts these actors do get: proof that `hidden` looks where the texts would be. */
	shown?: { to: Actor[]; texts: (fx: Fixtures) => string[] };
	/**
	 * Allowed writes run in this order, after every allowed read: starting the talk before
	 * what needs it live, joining (which makes the outsider a member), then what invalidates
	 * other rows' fixtures or sessions.
	 */
	order?: number;
}

const who = (
	anonymous: Outcome,
	outsider: Outcome,
	student: Outcome,
	otherPresenter: Outcome,
	presenter: Outcome,
	ta: Outcome,
	instructor: Outcome
): Expected => ({ anonymous, outsider, student, otherPresenter, presenter, ta, instructor });

const everyone = (o: Outcome) => who(o, o, o, o, o, o, o);
const signedIn = (o: Outcome = 'ok') => who('login', o, o, o, o, o, o);
const members = (o: Outcome = 'ok') => who('login', 'not-found', o, o, o, o, o);
/** The lecture's presenters and staff; `others` is what classmates get. */
const pairAndStaff = (o: Outcome = 'ok', others: Outcome = 'forbidden') =>
	who('login', 'not-found', others, others, o, o, o);
/** The same where classmates must not learn that the thing exists (a draft deck). */
const pairAndStaffHidden = (o: Outcome = 'ok') => pairAndStaff(o, 'not-found');
const staff = (o: Outcome = 'ok') =>
	who('login', 'not-found', 'forbidden', 'forbidden', 'forbidden', o, o);
const instructors = (o: Outcome = 'ok') =>
	who('login', 'not-found', 'forbidden', 'forbidden', 'forbidden', 'forbidden', o);

const C = '/courses/[course]';
const L = `${C}/lectures/[lecture]`;
const P = `${C}/papers/[paper]`;

/** Names of students only staff may see listed (another student's data). */
const classmates = () => ['Hana Kobayashi', 'Gabriel Souza'];
const deckSecret = () => [SECRET.deck];
/** Everyone but the student, who wrote the private annotation. */
const notTheStudent: Actor[] = ['otherPresenter', 'presenter', 'ta', 'instructor'];
const students: Actor[] = ['student', 'otherPresenter', 'presenter'];
const staffActors: Actor[] = ['ta', 'instructor'];

/**
 * The matrix. A new route, action or method fails the test until it has a row here; what
 * each person gets is decided per row (`login`: sent to sign in, `not-found` where even
 * existence must not leak, `forbidden` for a member who may not, `invalid` for a refusal
 * told next to the form).
 */
export const ROWS: Row[] = [
	// Outside any course.
	{ key: 'page /', expect: { ...everyone('redirect'), anonymous: 'ok' } },
	{ key: 'GET /health', expect: everyone('ok') },
	{ key: 'page /login', expect: { ...everyone('redirect'), anonymous: 'ok' } },
	{ key: 'page /signup', expect: { ...everyone('redirect'), anonymous: 'ok' } },
	{
		key: 'action /login',
		body: (fx) => form({ email: fx.outsiderEmail, password: 'correct horse battery' }),
		expect: everyone('redirect')
	},
	{
		key: 'action /signup',
		body: (_, actor) =>
			form({
				name: `Signed up by ${actor}`,
				email: `authz-signup-${actor.toLowerCase()}@example.org`,
				password: 'another long passphrase'
			}),
		expect: everyone('redirect')
	},
	{ key: 'page /logout', expect: everyone('redirect') },
	{ key: 'action /logout', body: () => form({}), expect: everyone('redirect'), order: 9 },
	{ key: 'page /account', expect: signedIn() },
	{
		key: 'action /account?/changePassword',
		body: (_, actor) =>
			form({
				currentPassword: actor === 'outsider' ? 'correct horse battery' : 'podium-demo-2026',
				newPassword: 'a brand new passphrase'
			}),
		expect: { ...signedIn(), anonymous: 'unauthorized' },
		order: 8
	},
	{ key: 'page /courses', expect: signedIn() },
	{ key: 'page /courses/new', expect: signedIn() },
	{
		key: 'action /courses/new',
		body: (_, actor) => form({ title: `Course of ${actor}`, timeZone: 'Europe/Berlin' }),
		expect: signedIn('redirect')
	},
	{ key: 'page /courses/import', expect: signedIn() },
	{
		key: 'action /courses/import',
		body: (fx) =>
			form({
				file: new File(
					[fx.courseExport as Uint8Array<ArrayBuffer>],
					'course.podium-course.json.gz',
					{
						type: 'application/gzip'
					}
				)
			}),
		expect: signedIn('redirect')
	},
	{ key: 'page /join', expect: signedIn() },
	{
		key: 'action /join',
		body: (fx) => form({ code: fx.joinCode }),
		expect: signedIn('redirect'),
		order: 4
	},
	{
		key: 'page /join/[token]',
		params: (fx) => ({ token: fx.inviteToken }),
		expect: signedIn()
	},
	{
		key: 'action /join/[token]',
		params: (fx) => ({ token: fx.inviteToken }),
		body: () => form({}),
		expect: signedIn('redirect'),
		order: 4
	},
	{
		key: 'GET /calendar/[token].ics',
		params: (fx) => ({ token: fx.calendarToken }),
		// The address is the secret: a calendar app has no session.
		expect: everyone('ok')
	},
	{
		key: 'GET /calendar/[token].ics',
		variant: 'an unknown token',
		params: () => ({ token: 'not-a-calendar-token' }),
		expect: everyone('not-found')
	},
	{ key: 'page /notifications', expect: signedIn() },
	{ key: 'action /notifications?/markAllRead', body: () => form({}), expect: signedIn('redirect') },
	{
		key: 'GET /notifications/[notification]',
		params: (fx) => ({ notification: fx.notification }),
		expect: { ...signedIn('not-found'), student: 'redirect' }
	},

	// The course.
	{ key: `page ${C}`, expect: members() },
	{
		key: `action ${C}?/postAnnouncement`,
		body: (_, actor) => form({ title: `Announced by ${actor}`, body: 'Hello.' }),
		expect: staff('redirect')
	},
	{
		key: `action ${C}?/pin`,
		body: (fx) => form({ id: fx.announcement }),
		expect: staff('redirect')
	},
	{
		key: `action ${C}?/unpin`,
		body: (fx) => form({ id: fx.announcement }),
		expect: staff('redirect')
	},
	{
		key: `action ${C}?/deleteAnnouncement`,
		body: (fx, actor) => form({ id: fx.spare.announcement[actor] }),
		expect: staff('redirect')
	},
	{
		key: `page ${C}/announcements/[announcement]/edit`,
		expect: staff()
	},
	{
		key: `action ${C}/announcements/[announcement]/edit`,
		body: (_, actor) => form({ title: 'Mini-project 1 is out', body: `Edited by ${actor}.` }),
		expect: staff('redirect')
	},
	{ key: `page ${C}/calendar`, expect: members() },
	{ key: `action ${C}/calendar?/reset`, body: () => form({}), expect: members(), order: 5 },
	{ key: `page ${C}/dashboard`, expect: staff(), secrets: classmates },
	{
		key: `page ${C}/grades`,
		expect: members(),
		hidden: { from: students, texts: classmates },
		shown: { to: staffActors, texts: classmates }
	},
	{
		key: `action ${C}/grades?/settings`,
		body: () =>
			form({
				presentation: '60',
				miniProjects: '30',
				participation: '10',
				bestMiniProjects: '3',
				ofMiniProjects: '5'
			}),
		expect: instructors()
	},
	{
		key: `action ${C}/grades?/rubric`,
		body: () =>
			form({
				'criteria[0].key': 'explanation',
				'criteria[0].label': 'Explanation',
				'criteria[0].max': '25',
				'criteria[1].key': 'assessment',
				'criteria[1].label': 'Assessment',
				'criteria[1].max': '25',
				'criteria[2].key': 'delivery',
				'criteria[2].label': 'Delivery',
				'criteria[2].max': '25',
				'criteria[3].key': 'questions',
				'criteria[3].label': 'Questions',
				'criteria[3].max': '25'
			}),
		expect: instructors(),
		order: 5
	},
	{
		key: `action ${C}/grades?/restoreRubric`,
		body: () => form({}),
		expect: instructors(),
		order: 5
	},
	{
		key: `GET ${C}/grades/export`,
		query: '?format=json',
		expect: instructors(),
		secrets: classmates
	},
	{ key: `page ${C}/lectures`, expect: members() },
	{ key: `page ${C}/lectures/new`, expect: staff() },
	{
		key: `action ${C}/lectures/new`,
		body: (_, actor) =>
			form({
				number: String(60 + actorIndex(actor)),
				title: `Lecture added by ${actor}`,
				startsAt: '2030-02-06T16:00',
				endsAt: '2030-02-06T18:00'
			}),
		expect: staff('redirect')
	},
	{
		key: `page ${C}/members`,
		expect: members(),
		// Emails and the roster still to sign up are for staff.
		hidden: { from: students, texts: (fx) => ['hana@example.org', fx.spare.pendingEmail.student] },
		shown: { to: staffActors, texts: (fx) => ['hana@example.org', fx.spare.pendingEmail.student] }
	},
	{
		key: `action ${C}/members?/changeRole`,
		body: (fx, actor) => form({ userId: fx.spare.member[actor], role: 'ta' }),
		expect: instructors()
	},
	{
		key: `action ${C}/members?/remove`,
		body: (fx, actor) => form({ userId: fx.spare.member[actor] }),
		expect: instructors(),
		order: 5
	},
	{
		key: `action ${C}/members?/removePending`,
		body: (fx, actor) => form({ email: fx.spare.pendingEmail[actor] }),
		expect: instructors('redirect')
	},
	{
		key: `action ${C}/members?/importRoster`,
		body: (_, actor) =>
			form({ csv: `authz-roster-${actor.toLowerCase()}@example.org,Rostered`, role: 'student' }),
		expect: instructors()
	},
	{
		key: `page ${C}/participation`,
		expect: members(),
		hidden: { from: students, texts: classmates },
		shown: { to: staffActors, texts: classmates }
	},
	{
		key: `page ${C}/participation/[student]`,
		expect: { ...staff(), student: 'ok', otherPresenter: 'not-found', presenter: 'not-found' },
		secrets: () => ['Julia Rossi']
	},
	{
		key: `action ${C}/participation/[student]?/adjust`,
		body: (_, actor) => form({ points: '1', reason: `Adjusted by ${actor}` }),
		expect: staff()
	},
	{ key: `page ${C}/participation/rules`, expect: instructors() },
	{
		key: `action ${C}/participation/rules`,
		body: () =>
			form({
				...Object.fromEntries(
					PARTICIPATION_ITEMS.flatMap((item) => [
						[`${item}_counts`, 'on'],
						[`${item}_points`, '1']
					])
				),
				capPerLecture: '10',
				minLength: '20',
				fullLength: '200',
				latePenalty: '50'
			}),
		expect: instructors(),
		order: 5
	},
	{ key: `page ${C}/presenters`, expect: members() },
	{
		key: `action ${C}/presenters?/generate`,
		body: () => form({ oddPolicy: 'trio', seed: 'authz' }),
		expect: staff(),
		order: 6
	},
	{ key: `page ${C}/search`, query: '?q=memory', expect: members() },
	{
		key: `page ${C}/search`,
		variant: 'for a private annotation',
		query: `?q=${PRIVATE_WORD}`,
		expect: members(),
		hidden: { from: notTheStudent, texts: () => [SECRET.privateAnnotation] },
		shown: { to: ['student'], texts: () => [SECRET.privateAnnotation] }
	},
	{
		key: `page ${C}/settings`,
		expect: instructors(),
		secrets: (fx) => [fx.joinCode, fx.inviteToken]
	},
	{
		key: `GET ${C}/settings/export`,
		expect: instructors(),
		secrets: (fx) => [fx.joinCode, fx.inviteToken, SECRET.privateAnnotation]
	},
	{
		key: `action ${C}/settings?/update`,
		body: (fx) =>
			form({ title: fx.courseTitle, description: 'Updated.', timeZone: 'Europe/Berlin' }),
		expect: instructors()
	},
	{
		key: `action ${C}/settings?/rotateJoinCode`,
		body: () => form({}),
		expect: instructors(),
		order: 6
	},
	{
		key: `action ${C}/settings?/resetInviteLink`,
		body: () => form({}),
		expect: instructors(),
		order: 6
	},
	{
		key: `action ${C}/settings?/setReveal`,
		body: () => form({ reveal: 'after_deadline' }),
		expect: instructors(),
		order: 6
	},
	{
		key: `action ${C}/settings?/critiqueForm`,
		body: () =>
			form({
				kind: 'presentation',
				'fields[0].type': 'text',
				'fields[0].key': 'comments',
				'fields[0].label': 'Comments',
				'fields[0].required': 'on'
			}),
		expect: instructors(),
		order: 6
	},
	{
		key: `action ${C}/settings?/restoreCritiqueForm`,
		body: () => form({ kind: 'presentation' }),
		expect: instructors(),
		order: 7
	},

	// A lecture.
	{ key: `page ${L}`, expect: members() },
	{
		key: `action ${L}?/addReading`,
		body: (_, actor) => form({ title: `Reading added by ${actor}`, kind: 'other' }),
		expect: staff('redirect')
	},
	{
		key: `action ${L}?/updateReading`,
		body: (fx, actor) =>
			form({ readingId: fx.spare.reading[actor], title: `Renamed by ${actor}`, kind: 'other' }),
		expect: staff('redirect')
	},
	{
		key: `action ${L}?/removeReading`,
		body: (fx, actor) => form({ readingId: fx.spare.reading[actor] }),
		expect: staff('redirect'),
		order: 5
	},
	{
		key: `action ${L}?/uploadPaper`,
		body: async () => form({ file: await pdfFile() }),
		expect: pairAndStaff('redirect')
	},
	{
		key: `action ${L}?/setPresenters`,
		params: (fx, actor) => ({ lecture: fx.spare.lecture[actor] }),
		body: (fx) => form({ userIds: [fx.users.student, fx.users.otherPresenter] }),
		expect: staff('redirect')
	},
	{ key: `page ${L}/edit`, expect: staff() },
	{
		key: `action ${L}/edit?/update`,
		params: (fx, actor) => ({ lecture: fx.spare.lecture[actor] }),
		body: (_, actor) =>
			form({
				number: String(40 + actorIndex(actor)),
				title: `Updated by ${actor}`,
				startsAt: '2030-01-09T16:00',
				endsAt: '2030-01-09T18:00'
			}),
		expect: staff('redirect')
	},
	{
		key: `action ${L}/edit?/delete`,
		params: (fx, actor) => ({ lecture: fx.spare.lecture[actor] }),
		body: () => form({}),
		expect: staff('redirect'),
		order: 5
	},
	{
		key: `page ${L}/critiques`,
		expect: members(),
		hidden: { from: ['otherPresenter'], texts: () => [SECRET.critique] },
		shown: { to: ['student', 'presenter', ...staffActors], texts: () => [SECRET.critique] }
	},
	{
		key: `page ${L}/critiques`,
		variant: 'lecture 1, with an anonymous critique',
		params: (fx) => ({ lecture: fx.lecture1 }),
		expect: members(),
		// Dalia critiqued anonymously: never named to peers, always to staff.
		hidden: { from: students, texts: () => ['Dalia Haddad'] },
		shown: { to: staffActors, texts: () => ['Dalia Haddad'] }
	},
	{
		key: `action ${L}/critiques?/reply`,
		body: (fx, actor) => form({ critiqueId: fx.critique, body: `Reply by ${actor}` }),
		// Classmates read others' critiques after submitting their own (or the deadline).
		expect: { ...members(), otherPresenter: 'not-found' }
	},
	{
		key: `action ${L}/critiques?/helpful`,
		body: (fx) => form({ critiqueId: fx.critique, on: 'true' }),
		expect: { ...members(), student: 'invalid', otherPresenter: 'not-found' }
	},
	{
		key: `action ${L}/critiques?/flag`,
		body: (fx) => form({ target: 'critique', id: fx.critique, flag: 'endorse', on: 'true' }),
		expect: staff()
	},
	{
		key: `action ${L}/critiques?/read`,
		body: (fx) => form({ replyId: fx.presenterReply }),
		expect: { ...members('not-found'), student: 'ok' }
	},
	{
		key: `page ${L}/critiques/[kind]`,
		params: () => ({ kind: 'paper' }),
		expect: members()
	},
	{
		key: `action ${L}/critiques/[kind]?/draft`,
		params: () => ({ kind: 'paper' }),
		body: () => form({ ...PAPER_CRITIQUE, summary: 'A draft.' }),
		// The student's is submitted: changes go through submit. Presenters critique the paper, not their own talk; staff grade instead.
		expect: { ...members(), student: 'invalid', ta: 'invalid', instructor: 'invalid' }
	},
	{
		key: `action ${L}/critiques/[kind]?/submit`,
		params: () => ({ kind: 'paper' }),
		body: () => form({ ...PAPER_CRITIQUE, summary: 'Submitted.' }),
		expect: { ...members('redirect'), ta: 'invalid', instructor: 'invalid' }
	},
	{
		key: `page ${L}/critiques/history/[critique]`,
		expect: { ...staff(), student: 'ok', otherPresenter: 'not-found', presenter: 'not-found' },
		secrets: () => [SECRET.critique]
	},
	{ key: `page ${L}/deck`, expect: pairAndStaffHidden(), secrets: deckSecret },
	{
		key: `action ${L}/deck?/save`,
		body: () =>
			form({ source: `# ${SECRET.deck}\n\n---\n\n## Two\n\n---\n\n## Three`, baseRevision: '1' }),
		expect: pairAndStaffHidden()
	},
	{
		key: `action ${L}/deck?/publish`,
		body: () => form({ when: 'lecture' }),
		expect: pairAndStaffHidden()
	},
	{
		key: `action ${L}/deck?/theme`,
		body: () => form({ theme: 'night' }),
		expect: pairAndStaffHidden()
	},
	{
		key: `GET ${L}/deck/export`,
		query: '?format=md',
		expect: pairAndStaffHidden(),
		secrets: deckSecret
	},
	{ key: `page ${L}/deck/history`, expect: pairAndStaffHidden(), secrets: deckSecret },
	{
		key: `action ${L}/deck/history?/restore`,
		body: () => form({ number: '1' }),
		expect: pairAndStaffHidden('redirect')
	},
	{
		key: `POST ${L}/deck/images`,
		body: (_, actor) =>
			form({
				file: new File(
					[pngImage(32, 24, 10 + actorIndex(actor)) as Uint8Array<ArrayBuffer>],
					'x.png',
					{ type: 'image/png' }
				)
			}),
		expect: pairAndStaffHidden()
	},
	{
		key: `GET ${L}/deck/images/[sha]`,
		params: (fx) => ({ sha: fx.deckImage }),
		expect: pairAndStaffHidden()
	},
	{ key: `page ${L}/deck/print`, expect: pairAndStaffHidden(), secrets: deckSecret },
	{ key: `page ${L}/grade`, expect: pairAndStaffHidden() },
	{
		key: `action ${L}/grade?/grade`,
		body: () =>
			form({
				score_explanation: '20',
				score_assessment: '20',
				score_delivery: '20',
				score_questions: '20',
				feedback: 'Good.'
			}),
		expect: staff('redirect')
	},
	{
		key: `action ${L}/grade?/adjust`,
		body: (fx) => form({ userId: fx.users.presenter, points: '2', reason: 'Carried the demo.' }),
		expect: staff('redirect')
	},
	{ key: `page ${L}/live`, expect: pairAndStaffHidden(), secrets: deckSecret },
	{
		key: `GET ${L}/live/events`,
		expect: pairAndStaffHidden()
	},
	{
		key: `action ${L}/live?/ask`,
		body: (_, actor) => form({ body: `Asked by ${actor}`, h: '0', v: '0' }),
		expect: members(),
		order: 2
	},
	{
		key: `action ${L}/live?/vote`,
		body: (fx) => form({ questionId: fx.question, on: 'true' }),
		expect: members(),
		order: 2
	},
	{ key: `page ${L}/present`, expect: pairAndStaffHidden(), secrets: () => [SECRET.question] },
	{
		key: `action ${L}/present?/start`,
		body: () => form({}),
		expect: pairAndStaffHidden(),
		order: 1
	},
	{
		key: `action ${L}/present?/answer`,
		body: (fx) => form({ questionId: fx.question }),
		expect: pairAndStaffHidden(),
		order: 2
	},
	{
		key: `POST ${L}/present/position`,
		body: () => ({ json: { h: 1, v: 0, f: -1 } }),
		expect: pairAndStaffHidden(),
		order: 2
	},
	{
		key: `action ${L}/present?/end`,
		body: () => form({}), // One talk ends once: after the presenter ended it, staff find it not running.
		expect: { ...pairAndStaffHidden(), ta: 'invalid', instructor: 'invalid' },
		order: 3
	},
	{
		key: `page ${L}/mini-project`,
		expect: members(),
		hidden: { from: ['otherPresenter', 'presenter'], texts: () => ['Julia Rossi'] },
		shown: { to: staffActors, texts: () => ['Julia Rossi'] }
	},
	{
		key: `action ${L}/mini-project?/publish`,
		body: () =>
			form({
				title: SECRET.miniProject,
				description: 'Measure it again.',
				dueAt: '',
				maxPoints: '10'
			}),
		expect: staff('redirect')
	},
	{
		key: `action ${L}/mini-project?/submit`,
		body: async () => form({ file: await pdfFile() }),
		expect: { ...members(), ta: 'forbidden', instructor: 'forbidden' }
	},
	{
		key: `action ${L}/mini-project?/grade`,
		body: (fx) => form({ studentId: fx.users.student, points: '7', feedback: 'Fine.' }),
		expect: staff('redirect')
	},
	{
		key: `GET ${L}/mini-project/reports/[submission]`,
		expect: { ...staff(), student: 'ok', otherPresenter: 'not-found', presenter: 'not-found' }
	},

	// A paper of the lecture.
	{
		key: `page ${P}`,
		expect: members(),
		secrets: (fx) => [fx.paperTitle, SECRET.annotation],
		hidden: { from: notTheStudent, texts: () => [SECRET.privateAnnotation] },
		shown: { to: ['student'], texts: () => [SECRET.privateAnnotation] }
	},
	{
		key: `action ${P}?/annotate`,
		body: (_, actor) =>
			form({ target: REGION, body: `Annotated by ${actor}`, visibility: 'class' }),
		expect: members()
	},
	{
		key: `action ${P}?/reply`,
		body: (fx, actor) => form({ parentId: fx.annotation, body: `Reply by ${actor}` }),
		expect: members()
	},
	{
		key: `action ${P}?/edit`,
		body: (fx, actor) =>
			form({ annotationId: fx.annotation, body: `${SECRET.annotation} edited by ${actor}` }),
		expect: { ...members('forbidden'), student: 'ok' }
	},
	{
		key: `action ${P}?/delete`,
		body: (fx, actor) => form({ annotationId: fx.spare.annotation[actor] }),
		// Staff hide what should go; only the author deletes.
		expect: { ...members('forbidden'), student: 'ok' }
	},
	{
		key: `action ${P}?/vote`,
		body: (fx) => form({ annotationId: fx.annotation, kind: 'helpful', on: 'true' }),
		expect: { ...members(), student: 'invalid' }
	},
	{
		key: `action ${P}?/endorse`,
		body: (fx) => form({ annotationId: fx.annotation, on: 'true' }),
		expect: staff()
	},
	{
		key: `action ${P}?/hide`,
		body: (fx) => form({ annotationId: fx.annotation, on: 'true' }),
		expect: staff(),
		order: 5
	},
	{
		key: `action ${P}?/details`,
		body: (fx) => form({ title: fx.paperTitle, authors: 'Someone', year: '2021' }),
		// The title is the schedule's reading: staff work, unlike adding a paper.
		expect: staff('redirect')
	},
	{
		key: `action ${P}?/import`,
		body: (fx) =>
			form({
				visibility: 'private',
				file: new File([fx.annotationExport], 'annotations.jsonld', { type: 'application/ld+json' })
			}),
		expect: members()
	},
	{
		key: `GET ${P}/annotations/[annotation]/history`,
		expect: { ...staff(), student: 'ok', otherPresenter: 'not-found', presenter: 'not-found' },
		secrets: () => [SECRET.annotation]
	},
	{ key: `GET ${P}/events`, expect: members() },
	{
		key: `GET ${P}/export`,
		expect: members(),
		secrets: () => [SECRET.annotation],
		hidden: { from: notTheStudent, texts: () => [SECRET.privateAnnotation] },
		shown: { to: ['student'], texts: () => [SECRET.privateAnnotation] }
	},
	{
		key: `GET ${P}/file/[sha]`,
		params: (fx) => ({ sha: fx.paperSha }),
		expect: members()
	},
	{
		key: `GET ${P}/text/[sha]`,
		params: (fx) => ({ sha: fx.paperSha }),
		expect: members()
	},
	{
		key: `GET ${P}/threads/[thread]`,
		params: (fx) => ({ thread: fx.annotation }),
		expect: members(),
		secrets: () => [SECRET.annotation]
	},
	{
		key: `GET ${P}/threads/[thread]`,
		variant: 'a private annotation',
		params: (fx) => ({ thread: fx.privateAnnotation }),
		expect: { ...members('not-found'), student: 'ok' },
		secrets: () => [SECRET.privateAnnotation]
	},
	{
		key: `GET ${P}/annotations/[annotation]/history`,
		variant: 'a private annotation',
		params: (fx) => ({ annotation: fx.privateAnnotation }),
		// Private means the author only: staff see class and staff notes, not private ones.
		expect: { ...members('not-found'), student: 'ok' },
		secrets: () => [SECRET.privateAnnotation]
	},
	{
		key: `action ${P}?/reply`,
		variant: 'to a private annotation',
		body: (fx, actor) => form({ parentId: fx.privateAnnotation, body: `Reply by ${actor}` }),
		expect: { ...members('not-found'), student: 'ok' }
	},
	{
		key: `action ${P}?/vote`,
		variant: 'on a private annotation',
		body: (fx) => form({ annotationId: fx.privateAnnotation, kind: 'helpful', on: 'true' }),
		expect: { ...members('not-found'), student: 'invalid' }
	},
	{
		key: `action ${P}?/endorse`,
		variant: 'a private annotation',
		body: (fx) => form({ annotationId: fx.privateAnnotation, on: 'true' }),
		expect: { ...members('forbidden'), ta: 'not-found', instructor: 'not-found' }
	}
];

/** Routes of a course that also name something in it (a lecture, paper, student, …). */
const namesMoreThanTheCourse = (row: Row) =>
	/^\S+ \/courses\/\[course\]\/.*\[/.test(row.key) ||
	/\?\/(pin|unpin|deleteAnnouncement|changeRole|remove)$/.test(row.key);

/**
 * The same requests through the outsider's own course (where they are the instructor),
 * naming this course's lectures, papers, people and posts: an id from another course is
 * not found, whatever the outsider may do in their own.
 */
export const CROSS_COURSE_ROWS: Row[] = ROWS.filter(
	(row) => namesMoreThanTheCourse(row) && !row.variant
).map((row) => ({
	...row,
	variant: "through the outsider's own course",
	actors: ['outsider'],
	params: (fx, actor) => ({ ...row.params?.(fx, actor), course: fx.outsiderCourse }),
	expect: everyone('not-found'),
	hidden: undefined,
	shown: undefined
}));

const actorIndex = (actor: Actor) => ACTORS.indexOf(actor);

/** The route parameters every row starts from. */
export function defaultParams(fx: Fixtures): Record<string, string> {
	return {
		course: fx.course,
		lecture: fx.lecture,
		paper: fx.paper,
		announcement: fx.announcement,
		critique: fx.critique,
		student: fx.users.student,
		annotation: fx.annotation,
		submission: fx.submission,
		notification: fx.notification
	};
}
