import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePaperPdf } from '$lib/server/demo/pdf';
import {
	DEFAULT_MAX_PDF_PAGES,
	inspectLimits,
	inspectPdf,
	PdfRejectedError,
	type PdfInfo,
	type PdfRejectionCode
} from '$lib/server/papers/inspect';
import {
	cleanAuthors,
	cleanTitle,
	prefillMetadata,
	titleFromLayout,
	venueFromText,
	yearNearMention,
	yearOfDate,
	type FirstPageItem
} from '$lib/server/papers/pdf-metadata';
import {
	blankPagesPdf,
	encryptedPdf,
	garbagePdf,
	inflationBombPdf,
	manyPagesPdf,
	longPaperPdf,
	pngFile,
	SAMPLE_PAPER,
	samplePaperPdf,
	scriptedPdf,
	textFile,
	truncatedPdf,
	zeroPagesPdf
} from '../fixtures/pdf';

/** The PdfRejectedError `promise` rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<PdfRejectedError> {
	const error = await promise.then(
		() => null,
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(PdfRejectedError);
	return error as PdfRejectedError;
}

async function codeOf(promise: Promise<unknown>): Promise<PdfRejectionCode> {
	return (await rejection(promise)).code;
}

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

let sample: Uint8Array;
let long: Uint8Array;

beforeAll(async () => {
	sample = await samplePaperPdf();
	long = await longPaperPdf(300);
}, 60_000);

afterEach(() => {
	vi.unstubAllEnvs();
});

describe('inspectPdf on a readable paper', () => {
	it('reads the page count, each page size and each page text', async () => {
		const info = await inspectPdf(sample);
		expect(info.pageCount).toBe(1);
		expect(info.pages).toHaveLength(1);
		expect(info.pageSizes).toEqual([{ width: 612, height: 792 }]);
		const text = words(info.pages[0]);
		for (const section of SAMPLE_PAPER.sections) {
			for (const paragraph of section.paragraphs) expect(text).toContain(words(paragraph));
		}
		expect(text).toContain('2 Method');
		expect(text).toContain('Figure 1: Peak memory of fine-tuning methods at batch size eight.');
	});

	it('builds each page text from the items: str, then a newline where a line ends', async () => {
		const info = await inspectPdf(sample);
		const lines = info.pages[0].split('\n');
		expect(lines[0]).toBe(SAMPLE_PAPER.title);
		expect(lines[1]).toBe(SAMPLE_PAPER.authors.join(', '));
		expect(lines).toContain('Abstract');
		// Wrapped paragraph lines come out as separate lines, not run together.
		expect(lines.filter((line) => line.startsWith('Fine-tuning a model')).length).toBe(1);
		expect(info.pages[0]).not.toContain(
			'Fine-tuning a model with billions of parameters needs memory'
		);
	});

	it('prefills title, authors, year and venue from a generated paper', async () => {
		const { metadata } = await inspectPdf(sample);
		expect(metadata).toEqual({
			title: SAMPLE_PAPER.title,
			authors: 'Amara Okafor, Ben Hoffmann, Chen Wei',
			year: 2024,
			venue: 'Proceedings of the 41st International Conference on Machine Learning, 2024'
		});
	});

	it('falls back to the largest line of page 1 when the info title is junk', async () => {
		const bytes = await makePaperPdf({
			...SAMPLE_PAPER,
			venue: 'NeurIPS 2023',
			year: undefined,
			info: { title: 'Microsoft Word - final_v3.docx', author: null, creationDate: null }
		});
		const { metadata } = await inspectPdf(bytes);
		expect(metadata).toEqual({
			title: SAMPLE_PAPER.title,
			authors: null,
			year: 2023,
			venue: 'NeurIPS 2023'
		});
	});

	it('takes the year from the creation date when page 1 names none', async () => {
		const bytes = await makePaperPdf({
			title: 'Notes on Pipelines',
			authors: ['Dalia Haddad'],
			sections: [{ heading: 'Introduction', paragraphs: ['Pipelines split a model by layers.'] }],
			info: { creationDate: new Date('2019-06-30T12:00:00Z') }
		});
		const { metadata } = await inspectPdf(bytes);
		expect(metadata).toEqual({
			title: 'Notes on Pipelines',
			authors: 'Dalia Haddad',
			year: 2019,
			venue: null
		});
	});

	it('accepts Node Buffers, including views into a shared pool', async () => {
		const pool = Buffer.alloc(sample.length + 100);
		pool.set(sample, 50);
		const info = await inspectPdf(pool.subarray(50, 50 + sample.length));
		expect(info.pageCount).toBe(1);
	});

	it('reads a document with a JavaScript open action and a javascript: link as plain text', async () => {
		const info = await inspectPdf(scriptedPdf());
		expect(info.pageCount).toBe(1);
		expect(info.pages[0]).toBe('A document with scripts');
	});

	it('runs several inspections at once', async () => {
		const results = await Promise.all([1, 2, 3, 4].map(() => inspectPdf(sample)));
		expect(results.map((r) => r.pageCount)).toEqual([1, 1, 1, 1]);
	});
});

describe('inspectPdf refusals', () => {
	it('refuses a file over maxBytes before parsing it, with the sizes in the message', async () => {
		const error = await rejection(inspectPdf(pngFile(), { maxBytes: 10 }));
		expect(error.code).toBe('too_large');
		const big = new Uint8Array(3 * 1024 * 1024);
		const tooBig = await rejection(inspectPdf(big, { maxBytes: 2 * 1024 * 1024 }));
		expect(tooBig.message).toContain('This file is 3 MB; the limit is 2 MB.');
	});

	it('reads the size limit from PODIUM_MAX_UPLOAD_MB', async () => {
		vi.stubEnv('PODIUM_MAX_UPLOAD_MB', '0.001');
		expect(await codeOf(inspectPdf(sample))).toBe('too_large');
		expect(inspectLimits().maxBytes).toBe(Math.floor(0.001 * 1024 * 1024));
	});

	it('refuses files that are not PDFs', async () => {
		expect(await codeOf(inspectPdf(pngFile()))).toBe('not_pdf');
		expect(await codeOf(inspectPdf(textFile()))).toBe('not_pdf');
		expect(await codeOf(inspectPdf(new Uint8Array(0)))).toBe('not_pdf');
		// The header may follow up to 1024 bytes of junk, as readers allow.
		const late = new Uint8Array(2000);
		late.set(new TextEncoder().encode('%PDF-1.4'), 1100);
		expect(await codeOf(inspectPdf(late))).toBe('not_pdf');
	});

	it('refuses a password-protected PDF', async () => {
		const error = await rejection(inspectPdf(encryptedPdf()));
		expect(error.code).toBe('encrypted');
		expect(error.message).toBe(
			'This file is password-protected. Remove the password and upload it again.'
		);
	});

	it('refuses a truncated PDF and random bytes behind a PDF header as corrupt', async () => {
		expect(await codeOf(inspectPdf(await truncatedPdf()))).toBe('corrupt');
		expect(await codeOf(inspectPdf(garbagePdf()))).toBe('corrupt');
	});

	it('refuses a PDF without pages', async () => {
		expect(await codeOf(inspectPdf(zeroPagesPdf()))).toBe('no_pages');
	});

	it('refuses more pages than maxPages and accepts exactly maxPages', async () => {
		const thirty = await blankPagesPdf(30);
		const error = await rejection(inspectPdf(thirty, { maxPages: 29 }));
		expect(error.code).toBe('too_many_pages');
		expect(error.message).toContain('This PDF has 30 pages; at most 29 are allowed.');
		const info = await inspectPdf(thirty, { maxPages: 30 });
		expect(info.pageCount).toBe(30);
		expect(info.pages.every((page) => page === '')).toBe(true);
	});

	it('refuses 50 000 pages that are one page object listed again and again', async () => {
		const bytes = manyPagesPdf(50_000);
		expect(bytes.length).toBeLessThan(400_000);
		const error = await rejection(inspectPdf(bytes));
		expect(error.code).toBe('too_many_pages');
		expect(error.message).toContain('This PDF has 50000 pages; at most 1000 are allowed.');
	});

	it('reads the page limit from PODIUM_MAX_PDF_PAGES (default 1000)', async () => {
		expect(inspectLimits({}, {}).maxPages).toBe(DEFAULT_MAX_PDF_PAGES);
		expect(inspectLimits({}, {}).maxBytes).toBe(50 * 1024 * 1024);
		vi.stubEnv('PODIUM_MAX_PDF_PAGES', '5');
		expect(await codeOf(inspectPdf(await blankPagesPdf(6)))).toBe('too_many_pages');
	});

	it('stops a parse that takes longer than timeoutMs', async () => {
		const started = performance.now();
		const error = await rejection(inspectPdf(long, { timeoutMs: 1 }));
		expect(error.code).toBe('timeout');
		expect(performance.now() - started).toBeLessThan(1000);
	});

	it('stops a parse that runs out of heap', async () => {
		const error = await rejection(inspectPdf(long, { memoryMb: 24 }));
		expect(error.code).toBe('too_complex');
		expect((error.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
	}, 30_000);

	it('stops a decompression bomb that grows memory outside the heap, and frees that memory', async () => {
		const bomb = inflationBombPdf(2048); // 2 MB that inflate to 2 GB
		expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
		const before = process.memoryUsage.rss();
		// Budget: twice memoryMb plus the thread's own overhead, i.e. about 576 MB here.
		const error = await rejection(inspectPdf(bomb, { memoryMb: 256 }));
		expect(error.code).toBe('too_complex');
		expect(String((error.cause as Error).message)).toMatch(/resident memory grew by \d+ MB/);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((process.memoryUsage.rss() - before) / 1024 / 1024).toBeLessThan(250);
	}, 30_000);

	it('reads a 300-page paper in another thread, and this process stays usable after refusals', async () => {
		// The event loop keeps turning during a long parse (it runs in another thread).
		let longestGap = 0;
		let last = performance.now();
		const ticker = setInterval(() => {
			const now = performance.now();
			longestGap = Math.max(longestGap, now - last);
			last = now;
		}, 10);
		let info: PdfInfo;
		try {
			info = await inspectPdf(long);
		} finally {
			clearInterval(ticker);
		}
		expect(longestGap).toBeLessThan(1000);
		expect(info.pageCount).toBe(300);
		expect(info.pages).toHaveLength(300);
		expect(info.pageSizes.every((size) => size.width === 612 && size.height === 792)).toBe(true);
		expect(info.pages[0]).toContain(SAMPLE_PAPER.title);
		expect(info.pages[299].trimEnd().endsWith('\n300')).toBe(true);
		expect(info.pages.every((page) => page.length > 2000)).toBe(true);

		for (const [bytes, limits] of [
			[long, { timeoutMs: 1 }],
			[long, { memoryMb: 24 }],
			[encryptedPdf(), {}],
			[garbagePdf(), {}]
		] as const) {
			await rejection(inspectPdf(bytes, limits));
		}
		const after = await inspectPdf(sample);
		expect(after.pageCount).toBe(1);
	}, 60_000);
});

describe('metadata prefill heuristics', () => {
	it('ignores machine-made titles', () => {
		for (const junk of [
			'',
			'   ',
			'Microsoft Word - paper.docx',
			'main.tex',
			'paper.dvi',
			'Untitled',
			'untitled 3',
			'2106.09685v2',
			'/home/user/paper.pdf',
			'1234'
		]) {
			expect(cleanTitle(junk), junk).toBeNull();
		}
		expect(cleanTitle('  LoRA:  Low-Rank Adaptation\nof Large Language Models ')).toBe(
			'LoRA: Low-Rank Adaptation of Large Language Models'
		);
		expect(cleanTitle('GPT-3.5 in the Wild')).toBe('GPT-3.5 in the Wild');
	});

	it('cleans authors from the info dictionary or XMP', () => {
		expect(cleanAuthors(['Tri Dao', 'Daniel Y. Fu'])).toBe('Tri Dao, Daniel Y. Fu');
		expect(cleanAuthors('Administrator')).toBeNull();
		expect(cleanAuthors('  ')).toBeNull();
		expect(cleanAuthors(undefined)).toBeNull();
	});

	const item = (str: string, size: number, y: number, rotated = false): FirstPageItem => ({
		str,
		size,
		x: 72,
		y,
		rotated
	});

	it('takes the largest upright lines of page 1 as the title', () => {
		const items = [
			item('arXiv:2205.14135v2 [cs.LG] 23 Jun 2022', 20, 300, true),
			item('FlashAttention: Fast and Memory-Efficient Exact', 17.2, 700),
			item('Attention with IO-Awareness', 17.2, 680),
			item('Tri Dao, Daniel Y. Fu', 11, 650),
			...Array.from({ length: 40 }, (_, i) =>
				item('body text of the paper goes here', 10, 600 - i * 12)
			),
			item('Footnote in big type much later', 17.2, 100)
		];
		expect(titleFromLayout(items)).toBe(
			'FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness'
		);
		// No line stands out: no guess.
		expect(titleFromLayout([item('Plain text', 10, 700), item('More plain text', 10.5, 680)])).toBe(
			null
		);
		expect(titleFromLayout([])).toBeNull();
	});

	it('recognises venues and their years on page 1', () => {
		expect(venueFromText('Published as a conference paper at ICLR 2023\nAbstract')).toEqual({
			venue: 'ICLR 2023',
			year: 2023
		});
		expect(
			venueFromText('37th Conference on Neural Information Processing Systems (NeurIPS 2023).')
		).toEqual({ venue: 'NeurIPS 2023', year: 2023 });
		expect(venueFromText("SOSP '23, October 23-26, 2023, Koblenz, Germany")).toEqual({
			venue: 'SOSP 2023',
			year: 2023
		});
		expect(
			venueFromText(
				'Proceedings of the 40th International Conference on Machine Learning, Honolulu, Hawaii, USA. PMLR 202, 2023.'
			)
		).toEqual({
			venue:
				'Proceedings of the 40th International Conference on Machine Learning, Honolulu, Hawaii, USA',
			year: null
		});
		expect(venueFromText('arXiv:2106.09685v2 [cs.CL] 16 Oct 2021')).toEqual({
			venue: 'arXiv:2106.09685',
			year: 2021
		});
		// A conference beats the arXiv stamp; words that merely contain an acronym do not count.
		expect(venueFromText('arXiv:2305.14314v1\nAccepted at ICML 2024')).toEqual({
			venue: 'ICML 2024',
			year: 2024
		});
		expect(venueFromText('NICML 2023 and MACL 2022')).toEqual({ venue: null, year: null });
		expect(venueFromText('No venue here.')).toEqual({ venue: null, year: null });
	});

	it('finds a year near a mention of a venue and reads PDF dates', () => {
		expect(yearNearMention('Preprint. Under review 2022.\nWe study 1024 GPUs in 2019')).toBe(2022);
		expect(yearNearMention('We trained on 2048 GPUs.')).toBeNull();
		expect(yearOfDate('D:20230115093000Z')).toBe(2023);
		expect(yearOfDate('2021-10-16T00:00:00Z')).toBe(2021);
		expect(yearOfDate('D:18990101')).toBeNull();
		expect(yearOfDate(undefined)).toBeNull();
	});

	it('prefers the info dictionary, then XMP, then the layout', () => {
		const firstPage = [
			item('Layout Title Of The Paper', 18, 700),
			item('The body of the paper, in a smaller type than the title.', 10, 600)
		];
		const base = { firstPage, firstPageText: 'Layout Title Of The Paper\nbody' };
		expect(
			prefillMetadata({ ...base, info: { Title: 'Info Title' }, xmp: { title: 'XMP Title' } }).title
		).toBe('Info Title');
		expect(
			prefillMetadata({
				...base,
				info: { Title: 'Microsoft Word - x.docx' },
				xmp: { title: 'XMP Title' }
			}).title
		).toBe('XMP Title');
		expect(prefillMetadata({ ...base, info: {}, xmp: {} })).toEqual({
			title: 'Layout Title Of The Paper',
			authors: null,
			year: null,
			venue: null
		});
		expect(
			prefillMetadata({
				...base,
				info: {},
				xmp: { creator: ['A. Author', 'B. Author'], createDate: '2020-01-01' }
			})
		).toMatchObject({ authors: 'A. Author, B. Author', year: 2020 });
	});
});
