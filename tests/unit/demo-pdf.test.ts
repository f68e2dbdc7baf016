import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { makePaperPdf, toWinAnsi, type PaperSpec } from '$lib/server/demo/pdf';
import { inspectPdf } from '$lib/server/papers/inspect';
import { SAMPLE_PAPER } from '../fixtures/pdf';

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** pdf.js text items of each page, read in this thread (fine for small test files). */
async function textItems(bytes: Uint8Array) {
	const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const doc = await pdfjs.getDocument({
		data: bytes.slice(),
		isEvalSupported: false,
		verbosity: 0
	}).promise;
	const pages = [];
	for (let number = 1; number <= doc.numPages; number++) {
		const content = await (await doc.getPage(number)).getTextContent();
		pages.push(
			content.items.flatMap((item) =>
				'str' in item && item.str.trim()
					? [{ str: item.str, x: item.transform[4], y: item.transform[5] }]
					: []
			)
		);
	}
	await doc.destroy();
	return pages;
}

describe('makePaperPdf', () => {
	it('writes a PDF whose text pdf.js extracts: title block, numbered headings, paragraphs, caption, page number', async () => {
		const bytes = await makePaperPdf(SAMPLE_PAPER);
		expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
		const info = await inspectPdf(bytes);
		expect(info.pageCount).toBe(1);
		const lines = info.pages[0].split('\n');
		expect(lines.slice(0, 3)).toEqual([
			SAMPLE_PAPER.title,
			'Amara Okafor, Ben Hoffmann, Chen Wei',
			'Proceedings of the 41st International Conference on Machine Learning, 2024'
		]);
		expect(lines).toContain('Abstract');
		expect(lines).toContain('1 Introduction');
		expect(lines).toContain('2 Method');
		expect(lines).toContain('4 Conclusion');
		expect(lines.at(-1)).toBe('1');
		const text = words(info.pages[0]);
		for (const section of SAMPLE_PAPER.sections) {
			for (const paragraph of section.paragraphs) expect(text).toContain(words(paragraph));
		}
		// The figure comes after section index 3 (Evaluation), before the Conclusion heading.
		const figure = text.indexOf('Figure 1: Peak memory of fine-tuning methods');
		expect(figure).toBeGreaterThan(text.indexOf('runs out of memory at a batch size of one'));
		expect(figure).toBeLessThan(text.indexOf('4 Conclusion'));
	});

	it('sets the info dictionary and is deterministic', async () => {
		const bytes = await makePaperPdf(SAMPLE_PAPER);
		const doc = await PDFDocument.load(bytes, { updateMetadata: false });
		expect(doc.getTitle()).toBe(SAMPLE_PAPER.title);
		expect(doc.getAuthor()).toBe('Amara Okafor, Ben Hoffmann, Chen Wei');
		expect(doc.getCreationDate()?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
		expect(Buffer.from(await makePaperPdf(SAMPLE_PAPER)).equals(Buffer.from(bytes))).toBe(true);

		const bare = await PDFDocument.load(
			await makePaperPdf({
				...SAMPLE_PAPER,
				info: { title: null, author: null, creationDate: null }
			}),
			{ updateMetadata: false }
		);
		expect(bare.getTitle()).toBeUndefined();
		expect(bare.getAuthor()).toBeUndefined();
		expect(bare.getCreationDate()).toBeUndefined();
	});

	it('sets two columns of body text below a centred title', async () => {
		const spec: PaperSpec = { ...SAMPLE_PAPER, pageCount: 2 };
		const [first, second] = await textItems(await makePaperPdf(spec));
		const title = first.find((item) => item.str === SAMPLE_PAPER.title)!;
		expect(title.x).toBeGreaterThan(60); // centred, not at the margin
		const lefts = new Set(second.map((item) => Math.round(item.x)));
		expect(lefts.has(54)).toBe(true);
		expect(lefts.has(315)).toBe(true);
		// Both columns are full: their lines start near the top and end near the bottom.
		for (const x of [54, 315]) {
			const ys = second.filter((item) => Math.round(item.x) === x).map((item) => item.y);
			expect(Math.max(...ys)).toBeGreaterThan(700);
			expect(Math.min(...ys)).toBeLessThan(90);
		}
	});

	it('pads to exactly pageCount pages and supports A4', async () => {
		const started = performance.now();
		const bytes = await makePaperPdf({ ...SAMPLE_PAPER, pageCount: 30, paperSize: 'a4' });
		const elapsed = performance.now() - started;
		const doc = await PDFDocument.load(bytes);
		expect(doc.getPageCount()).toBe(30);
		const { width, height } = doc.getPage(29).getSize();
		expect([width, height]).toEqual([595.28, 841.89]);
		expect(elapsed).toBeLessThan(5000);
	});

	it('generates 300 pages in a few seconds', async () => {
		const started = performance.now();
		const bytes = await makePaperPdf({ ...SAMPLE_PAPER, pageCount: 300 });
		const elapsed = performance.now() - started;
		expect((await PDFDocument.load(bytes)).getPageCount()).toBe(300);
		expect(elapsed).toBeLessThan(10_000);
	}, 30_000);

	it('keeps content that needs more pages than pageCount', async () => {
		const paragraphs = Array.from({ length: 40 }, (_, i) =>
			`Paragraph ${i} of a long section. `.repeat(12)
		);
		const bytes = await makePaperPdf({
			title: 'Long',
			authors: [],
			sections: [{ heading: 'Body', paragraphs }],
			pageCount: 1
		});
		const info = await inspectPdf(bytes);
		expect(info.pageCount).toBeGreaterThan(1);
		expect(words(info.pages.join(' '))).toContain(words(paragraphs[39]));
	});

	it('spells characters outside WinAnsi with ones inside it', async () => {
		const doc = await PDFDocument.create();
		const charset = new Set((await doc.embedFont(StandardFonts.TimesRoman)).getCharacterSet());
		expect(toWinAnsi('α ≤ β − 1 → ∞ … “ok” — naïve Łódź\tx\ny', charset)).toBe(
			'alpha <= beta - 1 -> infinity … “ok” — naïve Lódz x y'
		);
		expect(toWinAnsi('中文', charset)).toBe('??');

		const bytes = await makePaperPdf({
			title: 'Scaling ≥ 10× with θ-sharding',
			authors: ['Zoë Ångström', 'Łukasz Kaiser'],
			sections: [{ heading: 'Intro', paragraphs: ['Loss ≈ 2.3 when λ = 0.1 and σ² → 0.'] }]
		});
		const info = await inspectPdf(bytes);
		const text = words(info.pages[0]);
		expect(text).toContain('Scaling >= 10× with theta-sharding');
		expect(text).toContain('Zoë Ångström, Lukasz Kaiser');
		expect(text).toContain('Loss ~ 2.3 when lambda = 0.1 and sigma² -> 0.');
		// The info dictionary keeps the original (it is UTF-16).
		expect(info.metadata.title).toBe('Scaling ≥ 10× with θ-sharding');
	});
});
