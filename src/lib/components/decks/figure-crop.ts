/**
 * The image of a region annotation, rendered from the paper's PDF in the browser: only the
 * region's page, only the region's pixels, at a scale that stays sharp on a slide.
 * Browser only (pdf.js): call it from an event handler.
 */
import { documentOptions, loadPdfRuntime } from '$lib/components/papers/pdf-runtime';
import { figureScale, MAX_IMAGE_BYTES } from '$lib/decks/image-files';
import type { PageRect } from '$lib/annotations/types';

const toBlob = (canvas: HTMLCanvasElement, type: string, quality?: number) =>
	new Promise<Blob>((resolve, reject) =>
		canvas.toBlob(
			(blob) => (blob ? resolve(blob) : reject(new Error('The figure could not be encoded.'))),
			type,
			quality
		)
	);

/** The region of `page` (1-based) of the PDF at `pdfUrl`, as PNG (JPEG if a PNG is too large). */
export async function cropFigure(pdfUrl: string, page: number, rect: PageRect): Promise<Blob> {
	const { pdfjs } = await loadPdfRuntime();
	const pdf = await pdfjs.getDocument(documentOptions(pdfUrl)).promise;
	try {
		const pdfPage = await pdf.getPage(page);
		const scale = figureScale(rect, window.devicePixelRatio || 1);
		// The viewport is shifted so that the region's corner is the canvas's origin.
		const viewport = pdfPage.getViewport({
			scale,
			offsetX: -rect.x * scale,
			offsetY: -rect.y * scale
		});
		const canvas = document.createElement('canvas');
		canvas.width = Math.max(1, Math.round(rect.width * scale));
		canvas.height = Math.max(1, Math.round(rect.height * scale));
		await pdfPage.render({ canvas, viewport }).promise;
		const png = await toBlob(canvas, 'image/png');
		// Photographs compress badly as PNG; line art (the usual figure) stays PNG.
		return png.size <= MAX_IMAGE_BYTES ? png : toBlob(canvas, 'image/jpeg', 0.9);
	} finally {
		await pdf.destroy();
	}
}
