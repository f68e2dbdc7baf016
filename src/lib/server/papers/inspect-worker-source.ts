/**
 * Source of the worker thread that parses an uploaded PDF with pdf.js (see inspect.ts).
 *
 * It is a string run with `new Worker(source, { eval: true })` rather than a separate file,
 * because the app is bundled by Vite and a worker file would not be shipped in build/. It is
 * plain JavaScript that only uses dynamic `import()` (valid whether Node evaluates it as a
 * script or as a module) and receives the absolute URLs of pdf.js in `workerData`, so it
 * depends on nothing but the installed pdfjs-dist package.
 *
 * workerData: { bytes: Uint8Array, maxPages, maxTextChars, pdfjsUrl, pdfjsWorkerUrl,
 *               standardFontDataUrl, cMapUrl }
 * It posts exactly one message:
 *   { ok: true, pageCount, info, xmp, pages: [{ width, height, items: [{ str?, hasEOL? }] }],
 *     firstPage: [{ str, size, x, y, rotated }] }  (pages empty for 0 or too many pages)
 *   { ok: false, name, message }  (name: pdf.js exception name, 'TooComplex' or 'SetupError')
 */
export const INSPECT_WORKER_SOURCE = String.raw`
(async () => {
	const { parentPort, workerData } = await import('node:worker_threads');
	const send = (message) => parentPort.postMessage(message);
	const failure = (error, name) => ({
		ok: false,
		name: name || (error && typeof error.name === 'string' ? error.name : 'Error'),
		message: String((error && error.message) || error).slice(0, 500)
	});

	// pdf.js may leave a stray rejected promise behind on a broken file; that is no crash.
	process.on('unhandledRejection', () => {});
	// Nothing in here may reach the network.
	globalThis.fetch = () => Promise.reject(new Error('Network access is disabled.'));
	// Without DecompressionStream pdf.js inflates streams itself, in this thread, into one
	// growing buffer: terminating the thread stops it and its memory goes back to the system.
	// (Node's native zlib would run on the process-wide thread pool in many small chunks that
	// stay resident after the thread is gone.)
	delete globalThis.DecompressionStream;

	let pdfjs;
	try {
		// Registering the worker half of pdf.js makes its "fake worker" run in this thread.
		globalThis.pdfjsWorker = await import(workerData.pdfjsWorkerUrl);
		pdfjs = await import(workerData.pdfjsUrl);
	} catch (error) {
		send(failure(error, 'SetupError'));
		return;
	}

	let doc = null;
	try {
		doc = await pdfjs.getDocument({
			data: workerData.bytes,
			isEvalSupported: false,
			enableXfa: false,
			disableFontFace: true,
			useSystemFonts: false,
			stopAtErrors: false,
			disableAutoFetch: true,
			disableStream: true,
			disableRange: true,
			isOffscreenCanvasSupported: false,
			isImageDecoderSupported: false,
			useWorkerFetch: false,
			standardFontDataUrl: workerData.standardFontDataUrl,
			cMapUrl: workerData.cMapUrl,
			cMapPacked: true,
			verbosity: 0
		}).promise;

		const pageCount = doc.numPages;
		if (pageCount === 0 || pageCount > workerData.maxPages) {
			send({ ok: true, pageCount, info: {}, xmp: {}, pages: [], firstPage: [] });
			return;
		}

		const info = {};
		const xmp = {};
		try {
			const meta = await doc.getMetadata();
			for (const key of ['Title', 'Author', 'CreationDate']) {
				const value = meta.info && meta.info[key];
				if (typeof value === 'string') info[key] = value.slice(0, 2000);
			}
			if (meta.metadata) {
				const text = (value) =>
					typeof value === 'string'
						? value.slice(0, 2000)
						: Array.isArray(value)
							? value.filter((v) => typeof v === 'string').map((v) => v.slice(0, 500))
							: undefined;
				xmp.title = text(meta.metadata.get('dc:title'));
				xmp.creator = text(meta.metadata.get('dc:creator'));
				xmp.createDate = text(meta.metadata.get('xmp:createdate'));
			}
		} catch {
			// Unreadable metadata is not a reason to refuse the file.
		}

		const pages = [];
		let firstPage = [];
		let textChars = 0;
		for (let number = 1; number <= pageCount; number++) {
			const page = await doc.getPage(number);
			const viewport = page.getViewport({ scale: 1 });
			const content = await page.getTextContent();
			const items = [];
			for (const item of content.items) {
				const copy = {};
				if ('str' in item) {
					copy.str = item.str;
					textChars += item.str.length;
				}
				if ('hasEOL' in item) copy.hasEOL = item.hasEOL;
				items.push(copy);
			}
			if (textChars > workerData.maxTextChars) {
				send(failure(new Error('The document has too much text.'), 'TooComplex'));
				return;
			}
			if (number === 1) {
				firstPage = content.items
					.filter((item) => typeof item.str === 'string' && item.str.trim() && item.transform)
					.slice(0, 5000)
					.map((item) => {
						const [a, b, c, d, e, f] = item.transform;
						return {
							str: item.str,
							size: Math.hypot(c, d),
							x: e,
							y: f,
							rotated: Math.abs(b) > 1e-3 || Math.abs(c) > 1e-3 || a <= 0
						};
					});
			}
			pages.push({ width: viewport.width, height: viewport.height, items });
			page.cleanup();
		}
		send({ ok: true, pageCount, info, xmp, pages, firstPage });
	} catch (error) {
		send(failure(error));
	} finally {
		if (doc) await doc.destroy().catch(() => {});
	}
})();
`;
