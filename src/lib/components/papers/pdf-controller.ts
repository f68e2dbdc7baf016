/**
 * Drives pdf.js's own viewer components (PDFViewer, EventBus, PDFLinkService,
 * PDFFindController) for PdfViewer.svelte, and adds Podium's layers on top: highlights, text
 * selection as document offsets, region selection and the link guard. Browser only.
 */
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import type { EventBus, PDFViewer } from 'pdfjs-dist/web/pdf_viewer.mjs';
import type { PageRect } from '$lib/annotations/types';
import { pageAt } from '$lib/papers/page-text';
import type { FindStatus } from '$lib/papers/viewer-controls';
import { storedPageLength } from '$lib/papers/viewer-text';
import type { Highlight } from '$lib/papers/viewer-types';
import { drawPageHighlights, highlightElementById, watchHighlightClicks } from './highlight-layer';
import { guardLinks } from './link-guard';
import { PageTextLayer, pageText, type PageText } from './page-text-layer';
import { documentOptions, loadPdfRuntime } from './pdf-runtime';
import { attachRegionSelect } from './region-select';
import { rangeToOffsets, watchTextSelection, type TextSelection } from './selection';

export interface ViewerStatus {
	page: number;
	pagesCount: number;
	scale: number;
	scaleValue: string;
	findStatus: FindStatus;
	findCurrent: number;
	findTotal: number;
}

export interface ControllerCallbacks {
	onstatus: (status: Partial<ViewerStatus>) => void;
	onpagechange: (page: number) => void;
	onselecttext: (selection: TextSelection) => void;
	onselectregion: (selection: { page: number; rect: PageRect }) => void;
	onhighlightclick: (id: string) => void;
}

const FIND_STATES: FindStatus[] = ['found', 'notFound', 'wrapped', 'pending'];

/** Minimal view of pdf.js's PDFPageView (its typings mark most of it private). */
interface PageView {
	div: HTMLElement;
	viewport: { width: number; height: number; scale: number };
	pdfPage: { getTextContent(): Promise<{ items: unknown[] }> } | null;
	textLayer: { div: HTMLElement } | null;
}

export class PdfController {
	mode: 'text' | 'region' = 'text';
	#highlights: readonly Highlight[] = [];
	#pageStarts: readonly number[] = [];
	#abort = new AbortController();
	#viewer: PDFViewer | null = null;
	#eventBus: EventBus | null = null;
	#task: PDFDocumentLoadingTask | null = null;
	#texts = new Map<number, Promise<PageText>>();
	#layers = new Map<number, PageTextLayer>();
	#drawn = new Map<number, HTMLElement>();
	#waiters = new Map<number, (() => void)[]>();
	#warned = new Set<number>();
	#detach: (() => void)[] = [];
	#lastPage = 0;
	#findOpen = false;
	#flash: { id: string; until: number } | null = null;
	#markReady: () => void = () => {};
	/** Settles once the pages are laid out (or the controller is destroyed). */
	#ready = new Promise<void>((resolve) => (this.#markReady = resolve));

	constructor(
		private container: HTMLDivElement,
		private viewerDiv: HTMLDivElement,
		private callbacks: ControllerCallbacks
	) {}

	/** Loads pdf.js, opens `src` and shows it at `initialPage`. Rejects if the PDF cannot be read. */
	async open(src: string, initialPage?: number): Promise<void> {
		const { pdfjs, viewerLib } = await loadPdfRuntime();
		const { signal } = this.#abort;
		if (signal.aborted) return;
		const eventBus = new viewerLib.EventBus();
		const linkService = new viewerLib.PDFLinkService({
			eventBus,
			externalLinkTarget: viewerLib.LinkTarget.BLANK,
			externalLinkRel: 'noopener noreferrer nofollow'
		});
		const findController = new viewerLib.PDFFindController({ eventBus, linkService });
		const options = {
			container: this.container,
			viewer: this.viewerDiv,
			eventBus,
			linkService,
			findController,
			// Links and the look of form fields, but no interactive forms, editors or scripting.
			annotationMode: pdfjs.AnnotationMode.ENABLE,
			annotationEditorMode: pdfjs.AnnotationEditorType.DISABLE,
			// Removes pdf.js's scroll, resize and document listeners on destroy().
			abortSignal: signal
		};
		const viewer = new viewerLib.PDFViewer(options);
		linkService.setViewer(viewer);
		this.#viewer = viewer;
		this.#eventBus = eventBus;
		this.#listen(eventBus, initialPage);
		this.#attachDom();

		const task = pdfjs.getDocument(documentOptions(src));
		this.#task = task;
		let locked = false;
		task.onPassword = () => {
			locked = true;
			void task.destroy();
		};
		const pdfDocument = await task.promise.catch((error: unknown) => {
			throw locked ? new Error('This PDF is protected by a password.') : error;
		});
		if (signal.aborted) return;
		viewer.setDocument(pdfDocument);
		linkService.setDocument(pdfDocument, null);
		this.callbacks.onstatus({ pagesCount: pdfDocument.numPages });
	}

	#listen(eventBus: EventBus, initialPage?: number): void {
		const on = (name: string, listener: (event: never) => void) =>
			eventBus.on(name, listener, { signal: this.#abort.signal });
		on('pagesinit', () => {
			const viewer = this.#viewer as PDFViewer;
			viewer.currentScaleValue = 'auto';
			if (initialPage && initialPage > 1) this.goToPage(initialPage);
			this.#pageChanged(viewer.currentPageNumber);
			this.#markReady();
		});
		on('pagechanging', ({ pageNumber }: { pageNumber: number }) => this.#pageChanged(pageNumber));
		on('scalechanging', ({ scale, presetValue }: { scale: number; presetValue?: string }) => {
			this.callbacks.onstatus({ scale, scaleValue: presetValue ?? String(scale) });
			// pdf.js drops our layer while it re-renders at the new scale; the old one (in percent)
			// stays right until then.
			for (const [page, layer] of this.#drawn) {
				if (!layer.isConnected) this.#pageView(page)?.div.append(layer);
			}
		});
		on('pagerendered', ({ pageNumber }: { pageNumber: number }) => this.#redraw(pageNumber));
		on('textlayerrendered', ({ pageNumber }: { pageNumber: number }) => {
			void this.#bindTextLayer(pageNumber);
		});
		// pdf.js still reports on the last search after the find is closed; ignore that.
		on('updatefindmatchescount', ({ matchesCount }: { matchesCount: Matches }) => {
			if (!this.#findOpen) return;
			this.callbacks.onstatus({ findCurrent: matchesCount.current, findTotal: matchesCount.total });
		});
		on('updatefindcontrolstate', (e: { state: number; matchesCount: Matches }) => {
			if (!this.#findOpen) return;
			this.callbacks.onstatus({
				findStatus: FIND_STATES[e.state] ?? 'idle',
				findCurrent: e.matchesCount.current,
				findTotal: e.matchesCount.total
			});
		});
	}

	#pageChanged(page: number): void {
		if (page === this.#lastPage) return;
		this.#lastPage = page;
		this.callbacks.onstatus({ page });
		this.callbacks.onpagechange(page);
	}

	#attachDom(): void {
		const { container } = this;
		this.#detach.push(
			guardLinks(container),
			watchTextSelection(container, {
				active: () => this.mode === 'text',
				resolve: (range) => rangeToOffsets(range, this.#sortedLayers(), this.#pageStarts),
				onselect: (selection) => this.callbacks.onselecttext(selection)
			}),
			attachRegionSelect(container, {
				active: () => this.mode === 'region',
				pointSize: (page) => this.#pointSize(page),
				onselect: (selection) => this.callbacks.onselectregion(selection)
			}),
			watchHighlightClicks(container, (id) => this.callbacks.onhighlightclick(id))
		);
	}

	#pageView(page: number): PageView | null {
		const viewer = this.#viewer;
		if (!viewer || page < 1 || page > viewer.pagesCount) return null;
		return (viewer.getPageView(page - 1) as PageView | undefined) ?? null;
	}

	#pointSize(page: number): { width: number; height: number } | null {
		const viewport = this.#pageView(page)?.viewport;
		return viewport
			? { width: viewport.width / viewport.scale, height: viewport.height / viewport.scale }
			: null;
	}

	#sortedLayers(): PageTextLayer[] {
		return [...this.#layers.values()].filter((l) => l.connected).sort((a, b) => a.page - b.page);
	}

	async #bindTextLayer(page: number): Promise<void> {
		const view = this.#pageView(page);
		if (!view?.pdfPage || !view.textLayer) return;
		const textLayerDiv = view.textLayer.div;
		let text = this.#texts.get(page);
		if (!text) {
			// Default options (normalized text), exactly as the server stored the page text.
			text = view.pdfPage.getTextContent().then((content) => pageText(content.items as never));
			this.#texts.set(page, text);
		}
		const layer = new PageTextLayer(page, await text, textLayerDiv);
		if (this.#abort.signal.aborted) return;
		this.#checkAgainstStored(layer);
		this.#layers.set(page, layer);
		this.#redraw(page);
	}

	/** A page text that differs from the stored one would put every offset off; say so. */
	#checkAgainstStored(layer: PageTextLayer): void {
		const stored = storedPageLength(this.#pageStarts, layer.page);
		const mismatch = !layer.aligned || (stored !== null && stored !== layer.text.length);
		if (mismatch && !this.#warned.has(layer.page)) {
			this.#warned.add(layer.page);
			console.warn(
				`PdfViewer: page ${layer.page}'s text layer does not match the stored page text ` +
					`(${layer.text.length} vs ${stored} characters); highlights may be misplaced.`
			);
		}
	}

	#redraw(page: number): void {
		const view = this.#pageView(page);
		const size = this.#pointSize(page);
		if (!view || !size || !view.div.querySelector('.canvasWrapper')) return;
		const text = this.#layers.get(page) ?? null;
		const layer = drawPageHighlights(
			{
				page,
				pageDiv: view.div,
				pointWidth: size.width,
				pointHeight: size.height,
				text: text?.layer === view.textLayer?.div ? text : null,
				pageStarts: this.#pageStarts
			},
			this.#highlights
		);
		this.#drawn.set(page, layer);
		if (this.#flash && performance.now() < this.#flash.until) {
			highlightElementById(layer, this.#flash.id)?.classList.add('pv-hl-flash');
		}
		if (text?.connected) {
			for (const resolve of this.#waiters.get(page) ?? []) resolve();
			this.#waiters.delete(page);
		}
	}

	setHighlights(highlights: readonly Highlight[], pageStarts: readonly number[]): void {
		const startsChanged = pageStarts.join() !== this.#pageStarts.join();
		this.#highlights = highlights;
		this.#pageStarts = pageStarts;
		if (startsChanged) {
			this.#warned.clear();
			for (const layer of this.#layers.values()) this.#checkAgainstStored(layer);
		}
		for (const page of this.#drawn.keys()) {
			if (this.#drawn.get(page)?.isConnected) this.#redraw(page);
		}
	}

	goToPage(page: number): void {
		const viewer = this.#viewer;
		if (!viewer) return;
		if (!viewer.pagesCount) {
			void this.#ready.then(() => {
				if (this.#viewer?.pagesCount) this.goToPage(page);
			});
			return;
		}
		viewer.currentPageNumber = Math.min(Math.max(Math.round(page), 1), viewer.pagesCount);
	}

	previousPage(): void {
		this.#viewer?.previousPage();
	}

	nextPage(): void {
		this.#viewer?.nextPage();
	}

	zoomIn(): void {
		this.#viewer?.increaseScale();
	}

	zoomOut(): void {
		this.#viewer?.decreaseScale();
	}

	/** A pdf.js scale value: "auto", "page-width", "page-fit" or a number as text. */
	setZoom(value: string): void {
		if (this.#viewer) this.#viewer.currentScaleValue = value;
	}

	find(query: string, again: boolean, previous: boolean): void {
		if (!query) {
			this.closeFind();
			return;
		}
		this.#findOpen = true;
		this.#eventBus?.dispatch('find', {
			source: this,
			type: again ? 'again' : '',
			query,
			caseSensitive: false,
			entireWord: false,
			highlightAll: true,
			findPrevious: previous,
			matchDiacritics: false
		});
	}

	/**
	 * Document offsets of the find's current match, from pdf.js's marks in the text layer (its
	 * page is rendered once the find scrolled to it): the keyboard's way to select a passage.
	 */
	foundSelection(): TextSelection | null {
		const marks = this.container.querySelectorAll('.textLayer .highlight.selected');
		if (marks.length === 0) return null;
		const range = document.createRange();
		range.setStartBefore(marks[0]);
		range.setEndAfter(marks[marks.length - 1]);
		return rangeToOffsets(range, this.#sortedLayers(), this.#pageStarts);
	}

	closeFind(): void {
		this.#findOpen = false;
		this.#eventBus?.dispatch('findbarclose', { source: this });
		this.callbacks.onstatus({ findStatus: 'idle', findCurrent: 0, findTotal: 0 });
	}

	/**
	 * Scrolls so that highlight `id` is visible, rendering its page first if needed. Resolves
	 * false when there is no such highlight or its page did not render in time.
	 */
	async showHighlight(id: string): Promise<boolean> {
		await this.#ready;
		// The caller may have just changed the highlights; let that update arrive.
		if (!this.#highlights.some((h) => h.id === id)) await new Promise((r) => setTimeout(r, 0));
		const highlight = this.#highlights.find((h) => h.id === id);
		if (!highlight || !this.#viewer?.pagesCount || this.#pageStarts.length === 0) return false;
		const page =
			highlight.kind === 'region' ? highlight.page : pageAt(this.#pageStarts, highlight.start);
		const find = () => highlightElementById(this.#pageView(page)?.div ?? this.container, id);
		let element = find();
		// Not drawn because its page has not rendered yet (not because it covers no text).
		if (!element && !this.#layers.get(page)?.connected) {
			const ready = new Promise<void>((resolve) => {
				this.#waiters.set(page, [...(this.#waiters.get(page) ?? []), resolve]);
				setTimeout(resolve, 5000);
			});
			this.#viewer.scrollPageIntoView({ pageNumber: page });
			await ready;
			element = find();
		}
		if (!element) return false;
		this.#scrollIntoView(element);
		element.classList.remove('pv-hl-flash');
		void element.offsetWidth; // restart the animation
		element.classList.add('pv-hl-flash');
		// Redraws in the next moments (e.g. the caller marking it selected) keep the flash.
		this.#flash = { id, until: performance.now() + 1000 };
		return true;
	}

	#scrollIntoView(element: HTMLElement): void {
		const box = this.container.getBoundingClientRect();
		const r = element.getBoundingClientRect();
		if (r.top < box.top || r.bottom > box.bottom) {
			this.container.scrollTop += r.top - box.top - Math.max(16, (box.height - r.height) / 3);
		}
		if (r.left < box.left || r.right > box.right) {
			this.container.scrollLeft += r.left - box.left - Math.max(16, (box.width - r.width) / 2);
		}
	}

	destroy(): void {
		this.#abort.abort();
		this.#markReady();
		for (const detach of this.#detach) detach();
		this.#detach = [];
		// pdf.js fetches every page once the first is drawn; pulling the document from under
		// that fetch logs an error per page, so the worker goes only once it settles (or, if it
		// never started because the page was left first, after a while). The old viewer is not
		// reset: a new one may already be drawing into the same elements.
		const task = this.#task;
		const fetching = this.#viewer?.pagesPromise?.catch(() => {}) ?? Promise.resolve();
		const patience = new Promise((resolve) => setTimeout(resolve, 30_000));
		void Promise.race([fetching, patience]).then(() => task?.destroy());
		this.#viewer = null;
		this.#eventBus = null;
		this.#layers.clear();
		this.#drawn.clear();
		this.#texts.clear();
		for (const resolvers of this.#waiters.values()) for (const resolve of resolvers) resolve();
		this.#waiters.clear();
	}
}

interface Matches {
	current: number;
	total: number;
}
