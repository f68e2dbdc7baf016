import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { deckImages } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { Course } from '$lib/server/courses/access';
import { fileStore } from '$lib/server/files/store';
import { newId } from '$lib/server/ids';
import { createLecture } from '$lib/server/lectures/service';
import { setPresenters } from '$lib/server/lectures/presenters';
import { uploadPaper, type Paper } from '$lib/server/papers/service';
import { createAnnotation } from '$lib/server/annotations/service';
import { saveDeck, setDeckPublication, setDeckTheme } from '$lib/server/decks/service';
import { exportDeck, exportedDeck } from '$lib/server/decks/export';
import { samplePaperPdf, pngFile } from '../fixtures/pdf';
import {
	asStudentOf,
	asTaOf,
	expectHttpError,
	lectureInput,
	makeCourse,
	makeUser,
	paperDocument,
	passage
} from './helpers';

const ORIGIN = 'https://podium.example.edu';
const QUOTE = 'Sparse Adapters for Memory-Efficient Fine-Tuning';

let course: Course;
let instructor: SessionUser;
let ta: SessionUser;
let ada: SessionUser;
let ben: SessionUser;
let cleo: SessionUser;
let outsider: SessionUser;
let lectureId: string;
let paper: Paper;
let cited: string;
let hidden: string;
let imageUrl: string;
let foreignImageUrl: string;
let source: string;

/** Stores a PNG as a deck image of the lecture; returns the URL a deck uses for it. */
async function deckImage(lecture: string, bytes: Uint8Array): Promise<string> {
	const { sha256 } = await fileStore.put(bytes, 'image/png');
	await db().insert(deckImages).values({
		id: newId(),
		courseId: course.id,
		lectureId: lecture,
		sha256,
		name: 'diagram.png',
		width: 1,
		height: 1,
		uploadedBy: ada.id
	});
	return `/courses/${course.id}/lectures/${lecture}/deck/images/${sha256}`;
}

beforeAll(async () => {
	({ course, instructor } = await makeCourse());
	ta = await asTaOf(course);
	ada = await asStudentOf(course, await makeUser('Ada'));
	ben = await asStudentOf(course, await makeUser('Ben'));
	cleo = await asStudentOf(course, await makeUser('Cleo'));
	outsider = await makeUser('Otto Outsider');
	lectureId = await createLecture(instructor, course.id, lectureInput({ number: 2 }));
	const otherLecture = await createLecture(instructor, course.id, lectureInput({ number: 3 }));
	await setPresenters(instructor, course.id, lectureId, [ada.id, ben.id]);
	paper = await uploadPaper(instructor, course.id, lectureId, {
		bytes: await samplePaperPdf(),
		name: 'paper.pdf'
	});
	const doc = await paperDocument(instructor, course.id, paper.id);
	const annotation = { target: passage(doc, QUOTE), body: 'Key claim', tags: [] };
	cited = await createAnnotation(cleo, course.id, paper.id, {
		...annotation,
		visibility: 'class'
	});
	hidden = await createAnnotation(cleo, course.id, paper.id, {
		...annotation,
		visibility: 'private'
	});
	imageUrl = await deckImage(lectureId, pngFile());
	// Another lecture's image (other bytes): the deck may name it, the export never reads it.
	const other = pngFile();
	other[other.length - 20] ^= 1;
	foreignImageUrl = await deckImage(otherLecture, other);
	source = [
		`<!-- .slide: data-background-image="${imageUrl}" -->`,
		'# Sparse adapters',
		'',
		`![diagram](${imageUrl})`,
		'',
		`![elsewhere](${foreignImageUrl})`,
		'',
		'---',
		'',
		'## The claim',
		'',
		`> ${QUOTE}`,
		`> — [The paper, p. 1](podium:annotation/${cited})`,
		'',
		`> Private thoughts`,
		`> — [The paper, p. 1](podium:annotation/${hidden})`,
		'',
		'Note:',
		'Read the quote aloud.',
		'',
		'---',
		'',
		'## Code',
		'',
		'```python [1|2]',
		'x = 1',
		'y = x + 1',
		'```',
		''
	].join('\n');
	await saveDeck(ada, course.id, lectureId, { source, baseRevision: 0 });
	// A theme that imports web fonts from Google.
	await setDeckTheme(ada, course.id, lectureId, 'night');
});

const LOADED_ATTRIBUTE = /^(src|data-src|poster|srcset|data-background(-image|-video|-iframe)?)$/i;

/** Every URL in the document that a browser would fetch (not links one follows). */
function loadedUrls(html: string): string[] {
	const urls: string[] = [];
	const tags = /<([a-z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/gi;
	for (const [, tag, attributes] of html.matchAll(tags)) {
		for (const [, name, value] of attributes.matchAll(/\s([^\s=>]+)="([^"]*)"/g)) {
			if (LOADED_ATTRIBUTE.test(name) || (tag.toLowerCase() === 'link' && name === 'href')) {
				urls.push(value);
			}
		}
	}
	for (const [, url] of html.matchAll(/url\(\s*['"]?([^'")]*)/g)) urls.push(url);
	for (const [, url] of html.matchAll(/@import\s+(?:url\()?['"]?([^'");\s]*)/g)) urls.push(url);
	return urls;
}

describe('deck export', () => {
	it('gives a draft to the pair and staff only; classmates and outsiders get 404', async () => {
		for (const who of [ada, ben, instructor, ta]) {
			const md = await exportDeck(who, course.id, lectureId, 'md', ORIGIN);
			expect(md).toEqual({
				filename: 'lecture-2-attention-is-all-you-need.md',
				contentType: 'text/markdown',
				body: source
			});
		}
		const html = await exportDeck(ta, course.id, lectureId, 'html', ORIGIN);
		expect(html.filename).toBe('lecture-2-attention-is-all-you-need.html');
		for (const who of [cleo, outsider]) {
			for (const format of ['html', 'md'] as const) {
				await expectHttpError(exportDeck(who, course.id, lectureId, format, ORIGIN), 404);
			}
			await expectHttpError(exportedDeck(who, course.id, lectureId, ORIGIN), 404);
		}
	});

	it('gives a published deck to the class, never to outsiders', async () => {
		await setDeckPublication(instructor, course.id, lectureId, 'now');
		try {
			const file = await exportDeck(cleo, course.id, lectureId, 'html', ORIGIN);
			expect(file.body).toContain('Sparse adapters');
			expect((await exportDeck(cleo, course.id, lectureId, 'md', ORIGIN)).body).toBe(source);
			await expectHttpError(exportDeck(outsider, course.id, lectureId, 'html', ORIGIN), 404);
		} finally {
			await setDeckPublication(instructor, course.id, lectureId, 'draft');
		}
		await expectHttpError(exportDeck(cleo, course.id, lectureId, 'html', ORIGIN), 404);
	});

	it('is one HTML file that loads nothing from the network', async () => {
		const { body: html, contentType } = await exportDeck(ada, course.id, lectureId, 'html', ORIGIN);
		expect(contentType).toBe('text/html');
		const loaded = loadedUrls(html);
		expect(loaded.length).toBeGreaterThan(3);
		const remote = loaded.filter((url) => /^\s*(https?:)?\/\//i.test(url));
		expect(remote).toEqual([]);
		expect(html).not.toMatch(/<link\b/i);
		expect(html).not.toContain('fonts.googleapis.com');
		// reveal.js and, since a slide shows code, the highlight plugin, then the start-up.
		const scripts = [...html.matchAll(/<script(?: src="([^"]*)")?>/g)].map((m) => m[1]);
		expect(scripts).toHaveLength(3);
		expect(scripts[0]).toMatch(/^data:text\/javascript;base64,/);
		expect(Buffer.from(scripts[0].split(',')[1], 'base64').toString()).toContain('e.Reveal=');
		expect(Buffer.from(scripts[1].split(',')[1], 'base64').toString()).toContain('RevealHighlight');
		expect(html).toMatch(/Reveal\.initialize\(Object\.assign\(\{"width":1280,"height":720,/);
		expect(html).toContain('"hash":true');
		expect(html).toContain('plugins: [RevealHighlight]');
		// Three slides, notes kept for reveal.js's speaker view.
		expect(html.match(/<section\b/g)).toHaveLength(3);
		expect(html).toContain('<aside class="notes" aria-hidden="true"><p>Read the quote aloud.</p>');
	});

	it("inlines the lecture's own images and links citations to the paper on this Podium", async () => {
		const { body: html } = await exportDeck(ada, course.id, lectureId, 'html', ORIGIN);
		const png = `data:image/png;base64,${Buffer.from(pngFile()).toString('base64')}`;
		expect(html).toContain(`<section data-background-image="${png}">`);
		expect(html).toContain(`<img src="${png}" alt="diagram">`);
		expect(html).not.toContain(`"${imageUrl}"`);
		// Another lecture's image is left as the deck names it.
		expect(html).toContain(`<img src="${foreignImageUrl}" alt="elsewhere">`);

		const href = `${ORIGIN}/courses/${course.id}/papers/${paper.id}#annotation-${cited}`;
		expect(html).toContain(`href="${href}"`);
		expect(html).toContain(QUOTE);
		// Cleo's private annotation stays private: the quote the deck holds, without a link.
		expect(html).not.toContain(`#annotation-${hidden}`);
		expect(html).toContain('Source unavailable');
		expect(html).not.toContain('podium:');
	});

	it('cites for the reader: the annotation author sees her own private note linked', async () => {
		await setDeckPublication(instructor, course.id, lectureId, 'now');
		try {
			const { sections } = await exportedDeck(cleo, course.id, lectureId, ORIGIN);
			expect(sections).toContain(`#annotation-${hidden}`);
		} finally {
			await setDeckPublication(instructor, course.id, lectureId, 'draft');
		}
	});
});
