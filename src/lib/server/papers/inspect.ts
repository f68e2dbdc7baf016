import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pageTextFromItems, type PageTextItem } from '$lib/papers/page-text';
import { INSPECT_WORKER_SOURCE } from './inspect-worker-source';
import { prefillMetadata, type FirstPageItem, type PaperMetadata } from './pdf-metadata';

/** What the server learns from an uploaded PDF. */
export interface PdfInfo {
	pageCount: number;
	/** Text of each page, built from pdf.js text items exactly as the browser builds it. */
	pages: string[];
	/** Size of each page in PDF points at scale 1 (after the page's /Rotate). */
	pageSizes: { width: number; height: number }[];
	/** Guesses to prefill the paper form; each may be null. */
	metadata: PaperMetadata;
}

export interface InspectLimits {
	/** Default: env PODIUM_MAX_UPLOAD_MB (default 50) MiB. */
	maxBytes?: number;
	/** Default: env PODIUM_MAX_PDF_PAGES (default 1000). */
	maxPages?: number;
	/** Wall-clock limit of the parse; default 20 000 ms. */
	timeoutMs?: number;
	/**
	 * Heap limit of the parsing thread; default 512 MB. The process's resident memory may also
	 * grow by at most twice this (plus the thread's ~64 MB) during the parse, which bounds
	 * memory outside the heap such as inflated streams.
	 */
	memoryMb?: number;
}

export type PdfRejectionCode =
	| 'too_large'
	| 'not_pdf'
	| 'encrypted'
	| 'corrupt'
	| 'no_pages'
	| 'too_many_pages'
	| 'timeout'
	| 'too_complex';

const REUPLOAD = 'Export or save it as PDF again and upload the new file.';

const MESSAGES: Record<PdfRejectionCode, string> = {
	too_large: 'This file is larger than the upload limit.',
	not_pdf: 'This file is not a PDF. Save or export it as PDF and upload it again.',
	encrypted: 'This file is password-protected. Remove the password and upload it again.',
	corrupt: `This PDF is damaged or incomplete and cannot be read. ${REUPLOAD}`,
	no_pages: 'This PDF has no pages.',
	too_many_pages: 'This PDF has more pages than allowed.',
	timeout: `Reading this PDF took too long; it may be damaged or unusually complex. ${REUPLOAD}`,
	too_complex: `This PDF is too complex to read with the memory allowed. ${REUPLOAD}`
};

/** An uploaded file refused with a reason an instructor can act on (`message`). */
export class PdfRejectedError extends Error {
	readonly code: PdfRejectionCode;
	constructor(code: PdfRejectionCode, message: string = MESSAGES[code], options?: ErrorOptions) {
		super(message, options);
		this.name = 'PdfRejectedError';
		this.code = code;
	}
}

export const DEFAULT_MAX_UPLOAD_MB = 50;
export const DEFAULT_MAX_PDF_PAGES = 1000;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MEMORY_MB = 512;
/** Total characters of text a document may yield (a dense 1000-page book has ~5 M). */
const MAX_TEXT_CHARS = 50_000_000;
/** A worker thread with pdf.js loaded takes this much resident memory before any parse. */
const WORKER_OVERHEAD_BYTES = 64 * 1024 * 1024;
const MEMORY_POLL_MS = 25;
/** Parses that run at once; more wait for a free slot (each may use `memoryMb`). */
const CONCURRENCY = positive(process.env.PODIUM_PDF_PARSE_CONCURRENCY) ?? 2;

function positive(value: string | undefined): number | undefined {
	const number = Number(value);
	return value !== undefined && value.trim() !== '' && Number.isFinite(number) && number > 0
		? number
		: undefined;
}

/** The limits in effect: explicit ones, else the environment's, else the defaults. */
export function inspectLimits(limits: InspectLimits = {}, env = process.env) {
	return {
		maxBytes:
			limits.maxBytes ??
			Math.floor((positive(env.PODIUM_MAX_UPLOAD_MB) ?? DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024),
		maxPages:
			limits.maxPages ?? Math.floor(positive(env.PODIUM_MAX_PDF_PAGES) ?? DEFAULT_MAX_PDF_PAGES),
		timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		memoryMb: limits.memoryMb ?? DEFAULT_MEMORY_MB
	};
}

function hasPdfHeader(bytes: Uint8Array): boolean {
	const head = bytes.subarray(0, 1024);
	for (let i = 0; i + 5 <= head.length; i++) {
		if (
			head[i] === 0x25 && // %
			head[i + 1] === 0x50 && // P
			head[i + 2] === 0x44 && // D
			head[i + 3] === 0x46 && // F
			head[i + 4] === 0x2d // -
		) {
			return true;
		}
	}
	return false;
}

const megabytes = (bytes: number) => {
	const mb = bytes / (1024 * 1024);
	return mb >= 10 ? Math.round(mb).toString() : (Math.round(mb * 10) / 10).toString();
};

const SMALLER = 'Upload a smaller PDF (e.g. without embedded high-resolution images).';

/** The refusal of a PDF upload cut off at the server's body size limit (its size unknown). */
export function pdfTooLargeMessage(): string {
	const limit = megabytes(inspectLimits().maxBytes);
	return `This file is larger than the upload limit; PDFs can be at most ${limit} MB. ${SMALLER}`;
}

let pdfjsLocation: { pdfjsUrl: string; pdfjsWorkerUrl: string; base: string } | undefined;

/** Where pdfjs-dist is installed, resolved at run time (it stays in node_modules, unbundled). */
function locatePdfjs() {
	if (!pdfjsLocation) {
		const require = createRequire(import.meta.url);
		const main = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
		pdfjsLocation = {
			pdfjsUrl: pathToFileURL(main).href,
			pdfjsWorkerUrl: pathToFileURL(path.join(path.dirname(main), 'pdf.worker.mjs')).href,
			base: path.resolve(path.dirname(main), '..', '..')
		};
	}
	return pdfjsLocation;
}

// A small semaphore so that a burst of uploads does not start a parser (and its heap) each.
let running = 0;
const waiting: (() => void)[] = [];
async function withSlot<T>(task: () => Promise<T>): Promise<T> {
	// A finished parse hands its slot straight to the next waiting one.
	if (running >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
	else running++;
	try {
		return await task();
	} finally {
		const next = waiting.shift();
		if (next) next();
		else running--;
	}
}

type WorkerResult =
	| {
			ok: true;
			pageCount: number;
			info: { Title?: string; Author?: string; CreationDate?: string };
			xmp: {
				title?: string | string[];
				creator?: string | string[];
				createDate?: string | string[];
			};
			pages: { width: number; height: number; items: PageTextItem[] }[];
			firstPage: FirstPageItem[];
	  }
	| { ok: false; name: string; message: string };

/** Runs the parse in a worker thread with a heap limit, killed after `timeoutMs`. */
function parseInWorker(
	bytes: Uint8Array,
	limits: { maxPages: number; timeoutMs: number; memoryMb: number }
): Promise<Extract<WorkerResult, { ok: true }>> {
	const { pdfjsUrl, pdfjsWorkerUrl, base } = locatePdfjs();
	// A view on a larger buffer (e.g. a pooled Buffer) is copied to exactly its own bytes.
	const data =
		bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
			? bytes
			: new Uint8Array(bytes);
	return new Promise((resolve, reject) => {
		let settled = false;
		const worker = new Worker(INSPECT_WORKER_SOURCE, {
			eval: true,
			workerData: {
				bytes: data,
				maxPages: limits.maxPages,
				maxTextChars: MAX_TEXT_CHARS,
				pdfjsUrl,
				pdfjsWorkerUrl,
				standardFontDataUrl: path.join(base, 'standard_fonts') + path.sep,
				cMapUrl: path.join(base, 'cmaps') + path.sep
			},
			// The worker sees no environment variables (secrets stay in this process).
			env: {},
			resourceLimits: {
				maxOldGenerationSizeMb: limits.memoryMb,
				maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(limits.memoryMb / 8))),
				stackSizeMb: 4
			}
		});
		const finish = (error: Error | null, result?: Extract<WorkerResult, { ok: true }>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearInterval(watch);
			void worker.terminate();
			if (error) reject(error);
			else resolve(result!);
		};
		const timer = setTimeout(
			() =>
				finish(
					new PdfRejectedError(
						'timeout',
						`Reading this PDF took longer than ${Math.max(1, Math.round(limits.timeoutMs / 1000))} s; ` +
							`it may be damaged or unusually complex. ${REUPLOAD}`
					)
				),
			limits.timeoutMs
		);
		// The heap limit does not cover ArrayBuffers (e.g. a decompressed content stream): watch
		// the process's resident memory too and stop the parse when it grows past the budget.
		const rssAtStart = process.memoryUsage.rss();
		const watch = setInterval(() => {
			const growth = process.memoryUsage.rss() - rssAtStart;
			if (growth > limits.memoryMb * 2 * 1024 * 1024 + WORKER_OVERHEAD_BYTES) {
				finish(
					new PdfRejectedError('too_complex', MESSAGES.too_complex, {
						cause: new Error(`resident memory grew by ${Math.round(growth / 1048576)} MB`)
					})
				);
			}
		}, MEMORY_POLL_MS);
		worker.on('message', (message: WorkerResult) => {
			if (message.ok) return finish(null, message);
			if (message.name === 'PasswordException') return finish(new PdfRejectedError('encrypted'));
			if (message.name === 'TooComplex') return finish(new PdfRejectedError('too_complex'));
			if (message.name === 'SetupError') {
				return finish(new Error(`Could not start the PDF reader: ${message.message}`));
			}
			// InvalidPDFException, FormatError, a truncated file, ...: all unreadable.
			finish(new PdfRejectedError('corrupt', MESSAGES.corrupt, { cause: message }));
		});
		// Out of memory (ERR_WORKER_OUT_OF_MEMORY) or any other crash of the parsing thread.
		worker.on('error', (error) =>
			finish(new PdfRejectedError('too_complex', MESSAGES.too_complex, { cause: error }))
		);
		worker.on('exit', () => finish(new PdfRejectedError('too_complex')));
	});
}

/**
 * Reads an uploaded PDF: page count, each page's text and size, and metadata guesses.
 * Throws PdfRejectedError for anything that is not a readable, reasonably sized PDF. The
 * parse runs in a separate thread with a memory limit and a timeout, so a hostile file
 * cannot hang or crash the server.
 */
export async function inspectPdf(bytes: Uint8Array, limits?: InspectLimits): Promise<PdfInfo> {
	const { maxBytes, maxPages, timeoutMs, memoryMb } = inspectLimits(limits);
	if (bytes.byteLength > maxBytes) {
		throw new PdfRejectedError(
			'too_large',
			`This file is ${megabytes(bytes.byteLength)} MB; the limit is ${megabytes(maxBytes)} MB. ` +
				SMALLER
		);
	}
	if (!hasPdfHeader(bytes)) throw new PdfRejectedError('not_pdf');

	const result = await withSlot(() => parseInWorker(bytes, { maxPages, timeoutMs, memoryMb }));
	if (result.pageCount === 0) throw new PdfRejectedError('no_pages');
	if (result.pageCount > maxPages) {
		throw new PdfRejectedError(
			'too_many_pages',
			`This PDF has ${result.pageCount} pages; at most ${maxPages} are allowed. ` +
				'Upload the part the class needs to read.'
		);
	}
	if (result.pages.length !== result.pageCount) throw new PdfRejectedError('corrupt');

	// The shared rule (src/lib/papers/page-text.ts) the browser's text layer uses too.
	const pages = result.pages.map((page) => pageTextFromItems(page.items));
	return {
		pageCount: result.pageCount,
		pages,
		pageSizes: result.pages.map(({ width, height }) => ({ width, height })),
		metadata: prefillMetadata({
			info: result.info,
			xmp: result.xmp,
			firstPage: result.firstPage,
			firstPageText: pages[0] ?? ''
		})
	};
}
