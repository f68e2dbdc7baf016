/**
 * A lecture's deck for taking away: its Markdown source, one self-contained HTML file that
 * runs offline in plain reveal.js, and the slides the print layout (PDF) lays out.
 * Whoever may see the deck (`getDeck`) may export it; nobody else learns it exists.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { deckImages } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { fileStore } from '$lib/server/files/store';
import { findCitations, findImages, parseDeck } from '$lib/decks/dialect';
import { renderDeckSections, REVEAL_THEMES, SLIDE_EXTRA_CSS } from '$lib/decks/render';
import {
	EXPORT_REVEAL_OPTIONS,
	exportFilename,
	parseDeckImageUrl,
	standaloneDeckHtml,
	withoutImports,
	type ExportFormat
} from '$lib/decks/export';
import { citationResolver } from '$lib/decks/links';
import { listThreadsOfLecture } from './citations';
import { getDeck } from './service';

// reveal.js's distributed files, read where Node finds the package ("require" gives the
// UMD builds, which define window.Reveal and window.RevealHighlight as plain reveal.js does).
const require = createRequire(import.meta.url);
const packageFile = (specifier: string) => readFile(require.resolve(specifier));

// What an <img> and a CSS background show safely; SVG as an image runs no script.
const IMAGE_TYPE = /^image\/(png|jpeg|gif|webp|avif|svg\+xml)$/;

const dataUrl = (contentType: string, bytes: Uint8Array) =>
	`data:${contentType};base64,${Buffer.from(bytes).toString('base64')}`;

/** The stored image as a data: URL, when it is one of the lecture's deck images. */
async function imageDataUrl(lectureId: string, sha256: string): Promise<string | null> {
	const [row] = await db()
		.select({ sha256: deckImages.sha256 })
		.from(deckImages)
		.where(and(eq(deckImages.lectureId, lectureId), eq(deckImages.sha256, sha256)))
		.limit(1);
	if (!row) return null;
	const file = await fileStore.get(row.sha256);
	return file && IMAGE_TYPE.test(file.contentType) ? dataUrl(file.contentType, file.bytes) : null;
}

/**
 * The deck's own images (`/courses/<c>/lectures/<l>/deck/images/<sha256>` of this lecture,
 * stored in deck_images) as data: URLs, by the URL the deck uses. Another lecture's images
 * are not read: the deck's author may not be allowed to see them.
 */
async function inlineImages(
	courseId: string,
	lectureId: string,
	source: string,
	origin: string
): Promise<Map<string, string>> {
	const inlined = new Map<string, string>();
	for (const { url } of findImages(source)) {
		const target = parseDeckImageUrl(url, origin);
		if (inlined.has(url) || target?.courseId !== courseId || target.lectureId !== lectureId) {
			continue;
		}
		const data = await imageDataUrl(lectureId, target.sha256);
		if (data) inlined.set(url, data);
	}
	return inlined;
}

/** The newest crop of each cited figure, as data: URLs by annotation id. */
async function figureCrops(lectureId: string, annotationIds: string[]) {
	const crops = new Map<string, string>();
	if (annotationIds.length === 0) return crops;
	const rows = await db()
		.select({ annotationId: deckImages.annotationId, sha256: deckImages.sha256 })
		.from(deckImages)
		.where(
			and(eq(deckImages.lectureId, lectureId), inArray(deckImages.annotationId, annotationIds))
		)
		.orderBy(desc(deckImages.createdAt));
	for (const { annotationId, sha256 } of rows) {
		if (!annotationId || crops.has(annotationId)) continue;
		const file = await fileStore.get(sha256);
		if (file && IMAGE_TYPE.test(file.contentType)) {
			crops.set(annotationId, dataUrl(file.contentType, file.bytes));
		}
	}
	return crops;
}

/**
 * The deck as the actor may see it, rendered for taking away: citations link to the paper
 * on this Podium by absolute URL (they work from a file), the quotes stay on the slides,
 * the deck's own images and figure crops are data: URLs.
 */
export async function exportedDeck(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	origin: string
) {
	const { lecture, deck } = await getDeck(actor, courseId, lectureId);
	const citable = await listThreadsOfLecture(actor, courseId, lectureId);
	const byId = new Map(citable.map((c) => [c.annotationId, c]));
	const figures = findCitations(deck.source)
		.filter((c) => c.kind === 'figure' && byId.has(c.id))
		.map((c) => c.id);
	const [images, crops] = await Promise.all([
		inlineImages(courseId, lectureId, deck.source, origin),
		figureCrops(lectureId, figures)
	]);
	const resolve = citationResolver(courseId, citable, Object.fromEntries(crops), origin);
	return {
		lecture,
		theme: deck.theme,
		sections: renderDeckSections(parseDeck(deck.source), resolve, (url) => images.get(url) ?? url)
	};
}

/**
 * The deck as one HTML file that runs offline in plain reveal.js: reveal.js, its CSS, the
 * theme (without its web-font imports) and, when a slide shows code, the highlight plugin and
 * its style, all inside; no request leaves the file.
 */
async function exportDeckHtml(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	origin: string
): Promise<ExportedFile> {
	const { lecture, theme, sections } = await exportedDeck(actor, courseId, lectureId, origin);
	const code = sections.includes('<pre');
	// The theme names a file: only reveal.js's own names, whatever the row holds.
	const themeFile = (REVEAL_THEMES as readonly string[]).includes(theme) ? theme : 'white';
	const [revealCss, themeCss, revealJs, highlightCss, highlightJs] = await Promise.all([
		packageFile('reveal.js/reveal.css'),
		packageFile(`reveal.js/theme/${themeFile}.css`),
		packageFile('reveal.js'),
		code ? packageFile('reveal.js/plugin/highlight/monokai.css') : null,
		code ? packageFile('reveal.js/plugin/highlight') : null
	]);
	const styles = [revealCss, themeCss, highlightCss]
		.filter((css) => css !== null)
		.map((css) => withoutImports(css.toString('utf8')));
	const scripts = [revealJs, highlightJs]
		.filter((js) => js !== null)
		.map((js) => dataUrl('text/javascript', js));
	const html = standaloneDeckHtml({
		title: `Lecture ${lecture.number}: ${lecture.title}`,
		styles: [...styles, SLIDE_EXTRA_CSS],
		scripts,
		sections,
		plugins: code ? ['RevealHighlight'] : [],
		options: { ...EXPORT_REVEAL_OPTIONS, hash: true }
	});
	return { filename: exportFilename(lecture, 'html'), contentType: 'text/html', body: html };
}

export interface ExportedFile {
	filename: string;
	/** Without charset: the body is UTF-8 text. */
	contentType: string;
	body: string;
}

/** The deck as a file: self-contained HTML, or its Markdown source as it is. */
export async function exportDeck(
	actor: SessionUser,
	courseId: string,
	lectureId: string,
	format: ExportFormat,
	origin: string
): Promise<ExportedFile> {
	if (format === 'html') return exportDeckHtml(actor, courseId, lectureId, origin);
	const { lecture, deck } = await getDeck(actor, courseId, lectureId);
	return {
		filename: exportFilename(lecture, 'md'),
		contentType: 'text/markdown',
		body: deck.source
	};
}
