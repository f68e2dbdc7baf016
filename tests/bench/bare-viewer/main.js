// The baseline viewer of tests/bench/bare-viewer/index.html: PDFViewer + EventBus +
// PDFLinkService from pdfjs-dist/web/pdf_viewer.mjs with its default text layer, the
// minified pdf.js build and worker. ?file= names the PDF; ?w= and ?h= size the scroll
// container like Podium's (so pdf.js picks the same "auto" scale and renders as much).

import * as pdfjsLib from '/pdfjs/build/pdf.min.mjs';

const params = new URLSearchParams(location.search);
const container = document.getElementById('viewerContainer');
for (const [param, property] of [
	['w', 'width'],
	['h', 'height']
]) {
	const value = Number(params.get(param));
	if (value > 0) container.style[property] = `${value}px`;
}

pdfjsLib.GlobalWorkerOptions.workerSrc = '/pdfjs/build/pdf.worker.min.mjs';
// pdf_viewer.mjs reads the library from globalThis.pdfjsLib when it is evaluated.
globalThis.pdfjsLib = pdfjsLib;
const viewerLib = await import('/pdfjs/web/pdf_viewer.mjs');

const eventBus = new viewerLib.EventBus();
const linkService = new viewerLib.PDFLinkService({ eventBus });
const viewer = new viewerLib.PDFViewer({
	container,
	viewer: document.getElementById('viewer'),
	eventBus,
	linkService,
	// As Podium: links and the look of form fields, no editors.
	annotationMode: pdfjsLib.AnnotationMode.ENABLE,
	annotationEditorMode: pdfjsLib.AnnotationEditorType.DISABLE
});
linkService.setViewer(viewer);
eventBus.on('pagesinit', () => {
	viewer.currentScaleValue = 'auto';
});

try {
	const pdfDocument = await pdfjsLib.getDocument({
		url: params.get('file'),
		isEvalSupported: false,
		enableXfa: false,
		cMapUrl: '/pdfjs/cmaps/',
		cMapPacked: true,
		standardFontDataUrl: '/pdfjs/standard_fonts/',
		wasmUrl: '/pdfjs/wasm/'
	}).promise;
	viewer.setDocument(pdfDocument);
	linkService.setDocument(pdfDocument, null);
} catch (error) {
	globalThis.__benchError = String(error);
	throw error;
}
