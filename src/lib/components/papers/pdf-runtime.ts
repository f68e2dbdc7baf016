/**
 * Loads pdf.js and its viewer components in the browser. Never import this module's values at
 * the top level of a component: call loadPdfRuntime() from onMount/$effect (pdf.js touches
 * DOMMatrix and navigator when it loads, which breaks server rendering).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type UrlTable = Record<string, string>;

/** File name → served URL, so pdf.js can ask for "Identity-H.bcmap" and get a hashed asset. */
function byName(modules: UrlTable): UrlTable {
	const table: UrlTable = {};
	for (const [path, url] of Object.entries(modules))
		table[path.slice(path.lastIndexOf('/') + 1)] = url;
	return table;
}

// pdf.js asks for these by file name from a base URL; Vite emits them with hashed names, so a
// small factory maps names to URLs. `no-inline` keeps small files out of data: URLs (which the
// CSP's connect-src does not allow).
const tables: Record<string, UrlTable> = {
	cMapUrl: byName(
		import.meta.glob('/node_modules/pdfjs-dist/cmaps/*.bcmap', {
			query: '?url&no-inline',
			import: 'default',
			eager: true,
			exhaustive: true
		})
	),
	standardFontDataUrl: byName(
		import.meta.glob('/node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
			query: '?url&no-inline',
			import: 'default',
			eager: true,
			exhaustive: true
		})
	),
	wasmUrl: byName(
		import.meta.glob('/node_modules/pdfjs-dist/wasm/*.wasm', {
			query: '?url&no-inline',
			import: 'default',
			eager: true,
			exhaustive: true
		})
	)
};

/**
 * pdf.js's BinaryDataFactory interface: the worker asks the page for CMaps (non-Latin fonts),
 * standard font programs and the JPEG 2000 / JBIG2 decoders, by kind and file name.
 */
class AppBinaryDataFactory {
	async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
		const url = tables[kind]?.[filename];
		if (!url) throw new Error(`pdf.js asked for unknown ${kind} data "${filename}"`);
		const response = await fetch(url);
		if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
		return new Uint8Array(await response.arrayBuffer());
	}
}

export type PdfJs = typeof import('pdfjs-dist');
export type PdfViewerLib = typeof import('pdfjs-dist/web/pdf_viewer.mjs');

let runtime: Promise<{ pdfjs: PdfJs; viewerLib: PdfViewerLib }> | null = null;

/** pdf.js and its viewer components, loaded once per page. */
export function loadPdfRuntime(): Promise<{ pdfjs: PdfJs; viewerLib: PdfViewerLib }> {
	runtime ??= (async () => {
		const pdfjs = await import('pdfjs-dist');
		pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
		// pdf_viewer.mjs reads the library from globalThis.pdfjsLib when it is evaluated.
		(globalThis as { pdfjsLib?: unknown }).pdfjsLib = pdfjs;
		const viewerLib = await import('pdfjs-dist/web/pdf_viewer.mjs');
		return { pdfjs, viewerLib };
	})();
	runtime.catch(() => (runtime = null));
	return runtime;
}

/** getDocument options: no eval, no XFA, our asset factory; the URL is same-origin. */
export function documentOptions(url: string) {
	return {
		url,
		isEvalSupported: false,
		enableXfa: false,
		BinaryDataFactory: AppBinaryDataFactory,
		// Non-null so pdf.js asks the factory; the values themselves are never fetched.
		cMapUrl: 'cmaps/',
		cMapPacked: true,
		standardFontDataUrl: 'standard_fonts/',
		wasmUrl: 'wasm/'
	};
}
