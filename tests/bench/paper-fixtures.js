// Fixtures of the paper-viewer benchmark (tests/bench/paper-viewer.js): the PDFs, made by
// the app's own generator, and a paper with many annotations, created through the app.
//
// The generator, makePaperPdf in src/lib/server/demo/pdf.ts, is TypeScript and the bench
// runs on plain Node (20, no type stripping). It imports nothing but pdf-lib, so it is
// transpiled here with the project's own TypeScript (a devDependency; types are dropped,
// nothing is checked) and loaded from a data: URL whose `pdf-lib` import points at the
// installed package. Nothing is written to disk, and the bench always draws the PDFs the
// app's demo and tests draw. Should pdf.ts ever import another module, this says so.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

let generator;

/** makePaperPdf of src/lib/server/demo/pdf.ts, loaded once. */
export async function loadPaperGenerator(root) {
	if (generator) return generator;
	const file = path.join(root, 'src', 'lib', 'server', 'demo', 'pdf.ts');
	const source = readFileSync(file, 'utf8');
	const { default: ts } = await import('typescript');
	const { outputText } = ts.transpileModule(source, {
		fileName: file,
		compilerOptions: {
			module: ts.ModuleKind.ESNext,
			target: ts.ScriptTarget.ES2022,
			verbatimModuleSyntax: false,
			isolatedModules: true
		}
	});
	const pdfLib = pathToFileURL(require.resolve('pdf-lib')).href;
	const specifiers = [...outputText.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
	const other = specifiers.filter((s) => s !== 'pdf-lib');
	if (other.length > 0) {
		throw new Error(
			`${path.relative(root, file)} now imports ${other.join(', ')}: teach ` +
				'tests/bench/paper-fixtures.js to load it.'
		);
	}
	const code = outputText.replace(/\bfrom\s+['"]pdf-lib['"]/g, `from ${JSON.stringify(pdfLib)}`);
	const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
	if (typeof mod.makePaperPdf !== 'function') {
		throw new Error(`${path.relative(root, file)} no longer exports makePaperPdf`);
	}
	generator = mod.makePaperPdf;
	return generator;
}

/** A paper-like PDF of exactly `pages` pages (deterministic: same bytes every run). */
export async function makeBenchPdf(root, pages) {
	const makePaperPdf = await loadPaperGenerator(root);
	return makePaperPdf({
		title: `Benchmark Paper of ${pages} Pages on Pipeline Parallel Training`,
		authors: ['Podium Benchmark'],
		venue: 'Podium bench',
		year: 2026,
		pageCount: pages,
		sections: [
			{
				heading: 'Abstract',
				paragraphs: [
					`A generated paper of ${pages} pages for the paper-viewer benchmark: pdf.js renders it, ` +
						'and the class annotates it.'
				]
			},
			{
				heading: 'Introduction',
				paragraphs: [
					'Pipeline parallelism splits a model into stages on different accelerators and ' +
						'streams micro-batches through them; the bubble at the start and end of each ' +
						'batch is its main cost.'
				]
			}
		],
		figures: [{ caption: 'Throughput of the stages.', afterSection: 1 }]
	});
}

// --- annotations ---------------------------------------------------------------------------

/** Same as src/lib/papers/page-text.ts. */
const PAGE_SEPARATOR = '\n\n';
/** Same as CONTEXT_LENGTH of src/lib/annotations/anchoring.ts. */
const CONTEXT_LENGTH = 32;

export function documentText(pages) {
	const pageStarts = [];
	let offset = 0;
	for (let i = 0; i < pages.length; i++) {
		if (i > 0) offset += PAGE_SEPARATOR.length;
		pageStarts.push(offset);
		offset += pages[i].length;
	}
	return { text: pages.join(PAGE_SEPARATOR), pageStarts };
}

/** pageAt of src/lib/papers/page-text.ts: a separator belongs to the page after it. */
function pageAt(pageStarts, offset) {
	let lo = 1;
	let hi = pageStarts.length - 1;
	let page = 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (pageStarts[mid] - PAGE_SEPARATOR.length <= offset) {
			page = mid + 1;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return page;
}

/** describeText of src/lib/annotations/anchoring.ts (the text here is plain ASCII). */
export function describeText(doc, start, end) {
	const { text, pageStarts } = doc;
	const prefix = text.slice(Math.max(0, start - CONTEXT_LENGTH), start);
	const suffix = text.slice(end, end + CONTEXT_LENGTH);
	const page = pageAt(pageStarts, start);
	let endPage = pageAt(pageStarts, end - 1);
	if (endPage > 1 && end - 1 < pageStarts[endPage - 1]) endPage--;
	return {
		kind: 'text',
		page,
		endPage: Math.max(page, endPage),
		quote: { type: 'TextQuoteSelector', exact: text.slice(start, end), prefix, suffix },
		position: { type: 'TextPositionSelector', start, end }
	};
}

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const TAGS = ['strength', 'weakness', 'question', 'confusing', ''];

/**
 * `count` annotations on random passages (a few words to a few lines, within one page,
 * starting and ending on a word), deterministic for a given seed.
 */
export function randomAnnotations(doc, count, seed = 1) {
	const random = mulberry32(seed);
	const { text, pageStarts } = doc;
	const pages = pageStarts.length;
	const out = [];
	let guard = 0;
	while (out.length < count) {
		if (++guard > count * 50) throw new Error('could not place the benchmark annotations');
		const page = Math.floor(random() * pages);
		const pageStart = pageStarts[page];
		const pageEnd = page + 1 < pages ? pageStarts[page + 1] - PAGE_SEPARATOR.length : text.length;
		if (pageEnd - pageStart < 40) continue;
		let start = pageStart + Math.floor(random() * (pageEnd - pageStart - 20));
		// From the start of a word ...
		while (start < pageEnd && /\s/.test(text[start])) start++;
		while (start > pageStart && !/\s/.test(text[start - 1])) start--;
		let end = Math.min(pageEnd, start + 8 + Math.floor(random() * 160));
		// ... to the end of one.
		while (end < pageEnd && !/\s/.test(text[end])) end++;
		while (end > start && /\s/.test(text[end - 1])) end--;
		if (end - start < 3) continue;
		const tag = TAGS[Math.floor(random() * TAGS.length)];
		out.push({
			target: describeText(doc, start, end),
			body: `Benchmark note ${out.length + 1}: is this claim supported by the evaluation?`,
			tags: tag
		});
	}
	return out;
}
