import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	courseNav,
	eventually,
	launchBrowser,
	newPerson,
	reload,
	scriptSrc,
	signIn,
	signUp,
	startApp,
	submit,
	uniqueEmail,
	visit,
	type App,
	type Person,
	DEMO_PASSWORD,
	DEMO_COURSE
} from './harness';

let app: App;
let browser: Browser;

beforeAll(async () => {
	[app, browser] = await Promise.all([startApp({ demo: true }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const EMIL = { email: 'emil@example.org', password: DEMO_PASSWORD, name: 'Emil Lindqvist' };
const FARAH = { email: 'farah@example.org', password: DEMO_PASSWORD, name: 'Farah Siddiqui' };
const JULIA = { email: 'julia@example.org', password: DEMO_PASSWORD };
const LECTURE = 'Lecture 4: Parallelism II';
const PAPER = 'Study Notes: Sharding Optimizer State, Gradients and Parameters';
const QUOTE = 'Stage three increases it by about half';

const NEW_SLIDE = '\n---\n\n## Memory per device\n\n- ZeRO stage 3 shards the parameters too';
const MERGED = "merged with your partner's changes";

/** The deck's Markdown field (editors only). */
function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Deck (reveal.js Markdown)' });
}

/** The reveal.js preview of the current slide. */
function preview(page: Page): Locator {
	return page.getByRole('region', { name: 'Slide preview' });
}

/** The outline of the deck's slides. */
function outline(page: Page): Locator {
	return page.getByRole('navigation', { name: 'Slides' });
}

/** The save status that describes the deck's field ("Saved (revision 3)", "Saving…", …). */
function saveStatus(page: Page): Promise<string> {
	return editor(page).evaluate((field) => {
		const status = (field.getAttribute('aria-describedby') ?? '')
			.split(/\s+/)
			.map((id) => document.getElementById(id))
			.find((element) => element?.getAttribute('role') === 'status');
		return status?.textContent?.trim() ?? '';
	});
}

/** Waits until the editor reports a save (not a merge) and returns the revision it names. */
async function savedRevision(page: Page): Promise<number> {
	await eventually(() => saveStatus(page)).toMatch(/^Saved \(revision \d+\)$/);
	return Number(/\d+/.exec(await saveStatus(page))?.[0]);
}

/** Waits until the editor has finished saving (saved, merged, conflict or refused). */
async function settled(page: Page): Promise<string> {
	await eventually(() => saveStatus(page)).not.toMatch(/^(Unsaved changes…|Saving…)$/);
	return saveStatus(page);
}

/** Selects `text` (its first occurrence) in the deck's field, as a drag of the mouse would. */
async function selectInEditor(page: Page, from: string, to = from): Promise<void> {
	const field = editor(page);
	const value = await field.inputValue();
	const start = value.indexOf(from);
	const end = value.indexOf(to, start) + to.length;
	if (start < 0 || end < start + to.length) throw new Error(`"${from}" is not in the deck.`);
	await field.focus();
	await field.evaluate(
		(element: HTMLTextAreaElement, { start, end }) => element.setSelectionRange(start, end),
		{ start, end }
	);
}

/** Types at the end of the deck's field. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).focus();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
}

/** Opens `path` and returns the status of its HTML answer. */
async function statusOf(page: Page, path: string): Promise<number> {
	const response = await page.goto(path);
	return response?.status() ?? 0;
}

/** A form action POSTed from `page` itself (same origin, its cookies), as the editor does. */
function postAction(
	page: Page,
	path: string,
	fields: Record<string, string>
): Promise<{ status: number; body: string }> {
	return page.evaluate(
		async ({ path, fields }) => {
			const body = new FormData();
			for (const [name, value] of Object.entries(fields)) body.append(name, value);
			const response = await fetch(path, {
				method: 'POST',
				body,
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
			});
			return { status: response.status, body: await response.text() };
		},
		{ path, fields }
	);
}

/** Failed loads of the 404s this file asks for are expected console errors. */
const unexpected = (errors: string[]) =>
	errors.filter((e) => !/the server responded with a status of 404/.test(e));

describe('decks: editing, merging, publishing', () => {
	let emil: Person;
	let farah: Person;
	let julia: Person;
	let deckUrl: string;
	let paperHref: string;
	let annotationId: string;
	/** Emil's first saved text and its revision. */
	let firstText: string;
	let firstRevision: number;
	/** The newest revision so far. */
	let revision: number;

	test('a presenter writes a slide and cites an annotation; the preview follows', async () => {
		emil = await newPerson(browser, app);
		const a = emil.page;
		await signIn(a, EMIL);
		await a.getByRole('link', { name: DEMO_COURSE }).click();
		await courseNav(a, 'Schedule').click();
		await a.getByRole('link', { name: LECTURE }).click();
		await a.getByRole('heading', { name: LECTURE, level: 1 }).waitFor();
		paperHref = (await a.getByRole('link', { name: PAPER }).getAttribute('href')) ?? '';
		expect(paperHref).toMatch(/\/papers\/[a-z0-9]+$/);
		await a.getByRole('link', { name: 'Slides of this lecture' }).click();
		await a.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		deckUrl = new URL(a.url()).pathname;
		expect(deckUrl).toMatch(/\/lectures\/[a-z0-9]+\/deck$/);
		await reload(a);

		const field = editor(a);
		const before = await field.inputValue();
		const startedAt = Number(/revision (\d+)/.exec(await saveStatus(a))?.[1] ?? 0);
		expect(before).not.toContain('Memory per device');
		// The preview shows the first slide to begin with.
		await preview(a).getByRole('heading', { name: 'Title of the talk' }).waitFor();

		await typeAtEnd(a, NEW_SLIDE);
		expect(await saveStatus(a)).toMatch(/^(Unsaved changes…|Saving…)$/);
		revision = await savedRevision(a);
		expect(revision).toBeGreaterThan(startedAt);
		firstText = await field.inputValue();
		firstRevision = revision;
		expect(firstText).toBe(before + NEW_SLIDE);

		// The slide under the cursor is the one shown, and the outline marks it.
		const heading = preview(a).getByRole('heading', { name: 'Memory per device' });
		await heading.waitFor();
		expect(await heading.isVisible()).toBe(true);
		expect(await preview(a).getByText('ZeRO stage 3 shards the parameters too').isVisible()).toBe(
			true
		);
		expect(await preview(a).getByRole('heading', { name: 'Title of the talk' }).count()).toBe(0);
		const entries = outline(a).getByRole('button');
		expect((await entries.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
			'1 Title of the talk',
			'2 Outline',
			'3 Memory per device'
		]);
		expect(await entries.last().getAttribute('aria-current')).toBe('true');

		// A citation of an annotation of the lecture's paper goes in at the cursor.
		const panel = a.getByRole('region', { name: 'Cite the papers' });
		await panel.getByRole('button', { name: `Insert citation of “${QUOTE}”` }).click();
		const cited = await field.inputValue();
		const link = /^> — \[(.+)\]\(podium:annotation\/([A-Za-z0-9_-]+)\)$/m.exec(cited);
		expect(link?.[1]).toBe(`${PAPER}, p. 1`);
		annotationId = link?.[2] ?? '';
		expect(cited).toContain(`${NEW_SLIDE}\n\n> ${QUOTE}\n> — [`);
		await eventually(() => saveStatus(a)).toBe(`Saved (revision ${revision + 1})`);
		revision += 1;

		// The preview quotes it and links to the annotation in the paper.
		const quote = preview(a).getByRole('blockquote');
		await quote.getByText(QUOTE).waitFor();
		const source = quote.getByRole('link', { name: `${PAPER}, p. 1` });
		await source.waitFor();
		expect(await source.getAttribute('href')).toBe(`${paperHref}#annotation-${annotationId}`);

		// Saved: a reload brings the same text back.
		await reload(a);
		expect(await editor(a).inputValue()).toBe(cited);
		expect(await saveStatus(a)).toBe(`Saved (revision ${revision})`);
	});

	test("partners' saves on the same revision merge; overlapping edits come back as a conflict", async () => {
		farah = await newPerson(browser, app);
		const a = emil.page;
		const b = farah.page;
		await signIn(b, FARAH);
		await visit(b, deckUrl);
		expect(await saveStatus(a)).toBe(`Saved (revision ${revision})`);
		expect(await saveStatus(b)).toBe(`Saved (revision ${revision})`);
		const start = await editor(b).inputValue();
		expect(await editor(a).inputValue()).toBe(start);

		// Emil renames the first slide while Farah adds a line to the last one.
		await selectInEditor(a, 'Title of the talk');
		await a.keyboard.type('ZeRO in practice');
		const offload = '- Offloading moves the optimizer step to the CPU';
		await typeAtEnd(b, offload);
		const outcomes = [await settled(a), await settled(b)];
		// One save builds on the shared revision, the later one merges with it.
		expect(outcomes.filter((s) => s === `Saved (revision ${revision + 1})`)).toHaveLength(1);
		expect(outcomes.filter((s) => s.includes(MERGED))).toEqual([
			`Saved as revision ${revision + 2}, ${MERGED}.`
		]);
		revision += 2;
		for (const page of [a, b]) {
			await reload(page);
			const text = await editor(page).inputValue();
			expect(text).toMatch(/^# ZeRO in practice\n/);
			expect(text.trimEnd().endsWith(offload)).toBe(true);
			expect(text).not.toContain('Title of the talk');
			expect(await saveStatus(page)).toBe(`Saved (revision ${revision})`);
		}

		// Now both change the same heading.
		await selectInEditor(a, 'Memory per device');
		await a.keyboard.type('Memory per GPU');
		await selectInEditor(b, 'Memory per device');
		await b.keyboard.type('Memory per accelerator');
		const [statusA, statusB] = [await settled(a), await settled(b)];
		expect([statusA, statusB].sort()).toEqual(
			['Conflict to resolve', `Saved (revision ${revision + 1})`].sort()
		);
		revision += 1;
		const [first, second] = statusA === 'Conflict to resolve' ? [b, a] : [a, b];
		const [mine, theirs] =
			second === a
				? ['Memory per GPU', 'Memory per accelerator']
				: ['Memory per accelerator', 'Memory per GPU'];
		expect(await second.getByRole('alert').textContent()).toContain(
			'Both versions are in the text between the markers'
		);
		expect(await editor(second).getAttribute('aria-invalid')).toBe('true');
		const conflicted = await editor(second).inputValue();
		const block = /^<<<<<<< your version\n[\s\S]*?\n>>>>>>> saved meanwhile$/m.exec(conflicted);
		expect(block, conflicted).not.toBeNull();
		const [ours, rest] = block![0].split('\n=======\n');
		expect(ours).toContain(`## ${mine}`);
		expect(rest).toContain(`## ${theirs}`);
		expect(conflicted.replace(block![0], '')).not.toContain('Memory per');

		// Resolved by hand: the markers and the partner's heading go, one's own stays.
		await selectInEditor(second, '<<<<<<< your version', '>>>>>>> saved meanwhile');
		await second.keyboard.type(`## ${mine}`);
		expect(await saveStatus(second)).toBe('Conflict to resolve');
		await second.getByRole('button', { name: 'I resolved the conflict: save' }).click();
		await eventually(() => saveStatus(second)).toBe(`Saved (revision ${revision + 1})`);
		revision += 1;
		await reload(first);
		const resolved = await editor(first).inputValue();
		expect(resolved).toBe(await editor(second).inputValue());
		expect(resolved).toContain(`\n## ${mine}\n`);
		expect(resolved).not.toMatch(/^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)/m);
		expect(resolved).not.toContain(theirs);

		// The history lists every revision with its author; revision 1 comes back as a new one.
		await a.getByRole('link', { name: 'History' }).click();
		await a.getByRole('heading', { name: 'History of the slides', level: 1 }).waitFor();
		const revisions = a.getByRole('article');
		expect(await revisions.count()).toBe(revision);
		const byline = async (n: number) =>
			(await a.getByRole('article', { name: new RegExp(`^Revision ${n}\\b`) }).textContent()) ?? '';
		expect(await byline(firstRevision)).toContain(EMIL.name);
		expect(await byline(firstRevision + 1)).toContain(EMIL.name);
		const secondName = second === a ? EMIL.name : FARAH.name;
		expect(await byline(revision)).toContain(secondName);
		const authors = await revisions.allTextContents();
		expect(authors.some((t) => t.includes(FARAH.name))).toBe(true);
		expect(await a.getByRole('heading', { name: /merged$/ }).count()).toBe(1);

		await submit(a, a.getByRole('button', { name: `Restore revision ${firstRevision}` }));
		await a.waitForURL((url) => url.pathname === deckUrl);
		await a.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		await eventually(() => saveStatus(a)).toBe(`Saved (revision ${revision + 1})`);
		revision += 1;
		expect(await editor(a).inputValue()).toBe(firstText);
		await reload(a);
		expect(await editor(a).inputValue()).toBe(firstText);
		await visit(a, `${deckUrl}/history`);
		expect(
			await a.getByRole('heading', { name: new RegExp(`^Revision ${revision}\\b`) }).textContent()
		).toContain(`restored from ${firstRevision}`);
		await visit(a, deckUrl);
	});

	test('the class sees the deck only once published, read-only; others never', async () => {
		julia = await newPerson(browser, app);
		const a = emil.page;
		const c = julia.page;
		await signIn(c, JULIA);
		expect(await statusOf(c, deckUrl)).toBe(404);
		expect(await c.getByRole('textbox').count()).toBe(0);

		await submit(a, a.getByRole('button', { name: 'Publish now' }));
		await a.getByRole('status').getByText('Published: the class can open the deck now.').waitFor();
		await a.getByText(/^Published for the class from /).waitFor();

		expect(await statusOf(c, deckUrl)).toBe(200);
		await visit(c, deckUrl);
		await c.getByRole('heading', { name: 'Slides', level: 1 }).waitFor();
		await preview(c).getByRole('heading', { name: 'Title of the talk' }).waitFor();
		expect(await c.getByRole('textbox').count()).toBe(0);
		expect(await c.getByRole('button', { name: 'Publish now' }).count()).toBe(0);
		expect(await c.getByRole('region', { name: 'Cite the papers' }).count()).toBe(0);
		const entries = outline(c).getByRole('button');
		expect((await entries.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
			'1 Title of the talk',
			'2 Outline',
			'3 Memory per device'
		]);
		await entries.last().click();
		await preview(c).getByRole('heading', { name: 'Memory per device' }).waitFor();
		expect(await preview(c).getByRole('heading', { name: 'Title of the talk' }).count()).toBe(0);

		// A member of nothing gets nothing, published or not.
		const outsider = await newPerson(browser, app);
		await signUp(outsider.page, { name: 'Otto Outsider', email: uniqueEmail('otto') });
		expect(await statusOf(outsider.page, deckUrl)).toBe(404);
		await outsider.context.close();

		// Julia cannot save, even by POSTing the editor's request herself.
		const refused = await postAction(c, `${deckUrl}?/save`, {
			source: '# Hijacked\n',
			baseRevision: String(revision)
		});
		expect(refused.status).toBe(404);
		expect(refused.body).not.toContain('"type":"success"');
		await reload(a);
		expect(await editor(a).inputValue()).toBe(firstText);
		expect(await saveStatus(a)).toBe(`Saved (revision ${revision})`);

		await submit(a, a.getByRole('button', { name: 'Back to draft' }));
		await a.getByRole('status').getByText('The deck is a draft again').waitFor();
		expect(await statusOf(c, deckUrl)).toBe(404);
	});

	test('a deck with an event handler attribute is refused, naming the line', async () => {
		const a = emil.page;
		await visit(a, deckUrl);
		const before = await editor(a).inputValue();
		expect(await saveStatus(a)).toBe(`Saved (revision ${revision})`);

		const dangerous = '<!-- .slide: onclick="alert(1)" -->';
		await typeAtEnd(a, `\n\n${dangerous}`);
		const line = (await editor(a).inputValue()).split('\n').indexOf(dangerous) + 1;
		expect(line).toBeGreaterThan(1);
		await eventually(() => saveStatus(a)).toMatch(new RegExp(`^Line ${line}: .*onclick`));
		expect(await saveStatus(a)).toContain('event handler');
		expect(await editor(a).getAttribute('aria-invalid')).toBe('true');

		await reload(a);
		expect(await editor(a).inputValue()).toBe(before);
		expect(await saveStatus(a)).toBe(`Saved (revision ${revision})`);
	});

	test('no page error and every HTML page had a CSP without inline script', async () => {
		const people = [emil, farah, julia];
		for (const response of people.flatMap((p) => p.htmlResponses)) {
			expect(scriptSrc(response.csp ?? ''), response.url).not.toContain('unsafe-inline');
		}
		expect(unexpected(people.flatMap((p) => p.pageErrors))).toEqual([]);
	});
});
