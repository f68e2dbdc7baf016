/**
 * What every reveal.js instance inside an app page shares (the editor's preview, the
 * presenter's and the followers' slides): the theme CSS scoped to one element, the slide
 * rendering module loaded on demand, and how a rendered slide goes into its `<section>`.
 *
 * Theme CSS stays inside the instance: reveal.css, the theme and the code highlighting
 * style are loaded as text (`?inline`), rewritten by `scopeRevealCss` so that every rule
 * applies only under the instance's own class (`:root` variables and `.reveal-viewport`
 * land on its viewport element), and put in a `<style>` element inside it. The app's CSP
 * allows that (`style-src 'unsafe-inline'`); the themes' `@import`s of Google web fonts,
 * which the CSP would refuse, are dropped. No iframe is needed, so reveal.js runs as an
 * ordinary module of the app (`script-src 'self'`).
 *
 * Browser only: call these from `onMount` or effects.
 */
import type { HighlightPlugin } from 'reveal.js/plugin/highlight';
import type { SlideSection } from '$lib/decks/render';
import { loadRevealCss } from '$lib/decks/reveal-css';

// Loaded with reveal.js: marked, KaTeX and DOMPurify stay out of the page's first load.
export type RenderModule = typeof import('$lib/decks/render');
// The same module for every instance of the page (it is the same code).
let lib: RenderModule | null = null;
let libLoading: Promise<RenderModule> | null = null;

/** The slide rendering module ($lib/decks/render), loaded once. */
export function loadRender(): Promise<RenderModule> {
	libLoading ??= import('$lib/decks/render').then((module) => (lib = module));
	return libLoading;
}

/** The theme `name` ("white" when unknown) with reveal.css, scoped to `scopeClass`. */
export async function loadDeckCss(name: string, scopeClass: string): Promise<string> {
	const [{ APP_STYLE_RESET_CSS, SLIDE_EXTRA_CSS, scopeRevealCss }, css] = await Promise.all([
		loadRender(),
		loadRevealCss(name)
	]);
	return scopeRevealCss(
		[APP_STYLE_RESET_CSS, ...css, SLIDE_EXTRA_CSS, INSTANCE_CSS].join('\n'),
		scopeClass
	);
}

/** Styles of what `fillSection` puts on slides. */
const INSTANCE_CSS = [
	'.reveal .podium-fit-text{display:inline-block;white-space:nowrap}',
	'.reveal .podium-external-placeholder{display:inline-block;padding:1em 1.5em;border:3px dashed currentColor;font-size:.6em;opacity:.8}'
].join('\n');

/**
 * Loads theme `name` scoped to `scopeClass` into a `<style>` first in `container` (one per
 * container, replaced on a change of theme), then calls `done`. Returns a cancel function
 * for an effect's cleanup: a theme loaded after it is not applied.
 */
export function applyDeckCss(
	container: HTMLElement,
	name: string,
	scopeClass: string,
	done: () => void
): () => void {
	let stale = false;
	loadDeckCss(name, scopeClass).then(
		(css) => {
			if (stale) return;
			let style = container.querySelector<HTMLStyleElement>(':scope > style[data-deck-theme]');
			if (!style) {
				style = document.createElement('style');
				style.dataset.deckTheme = '';
				container.prepend(style);
			}
			style.textContent = css;
			done();
		},
		(error: unknown) => console.error('Could not load the deck theme', error)
	);
	return () => {
		stale = true;
	};
}

function isExternal(url: string): boolean {
	try {
		const parsed = new URL(url, window.location.href);
		if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
		return parsed.origin !== window.location.origin;
	} catch {
		return true;
	}
}

function placeholder(text: string): HTMLElement {
	const element = document.createElement('div');
	element.className = 'podium-external-placeholder';
	element.textContent = text;
	return element;
}

function hostOf(url: string): string {
	try {
		return new URL(url, window.location.href).host;
	} catch {
		return 'another site';
	}
}

/**
 * Media from other sites become placeholders, as the CSP would refuse them: images always
 * (img-src is 'self'), embedded videos unless `loadExternal` (frame-src allows YouTube and
 * Vimeo, whose embeds are all the deck dialect lets through).
 */
function keepLocal(content: DocumentFragment, loadExternal: boolean) {
	if (!loadExternal) {
		for (const frame of Array.from(content.querySelectorAll('iframe'))) {
			const src = frame.getAttribute('src') ?? frame.getAttribute('data-src') ?? '';
			frame.replaceWith(placeholder(`Embedded video from ${hostOf(src)}: shown when presenting`));
		}
	}
	for (const media of Array.from(content.querySelectorAll('img, video, audio, source'))) {
		const src = media.getAttribute('src') ?? media.getAttribute('data-src');
		if (src && isExternal(src)) {
			media.replaceWith(placeholder(`Image from ${hostOf(src)}: upload it to show it here`));
		}
	}
	for (const element of Array.from(content.querySelectorAll('[data-preview-link]'))) {
		element.removeAttribute('data-preview-link');
	}
}

/** A section's attributes as an embedded instance sets them. */
function sectionAttributes(section: SlideSection, loadExternal: boolean): Record<string, string> {
	const attributes = { ...section.attributes };
	for (const name of ['data-preview-link', 'data-preview-image', 'data-preview-video']) {
		delete attributes[name];
	}
	if (!loadExternal && attributes['data-background-iframe'] !== undefined) {
		delete attributes['data-background-iframe'];
		delete attributes['data-background-interactive'];
		attributes['data-background-color'] ??= '#111';
	}
	for (const name of ['data-background-image', 'data-background-video', 'data-background']) {
		const value = attributes[name];
		if (value !== undefined && /^(https?:)?\/\//i.test(value.trim()) && isExternal(value)) {
			delete attributes[name];
		}
	}
	return attributes;
}

/**
 * Puts a rendered slide into its `<section>`; `previous` is what the section showed before
 * (its attributes are taken off first).
 */
export function fillSection(
	element: HTMLElement,
	section: SlideSection,
	loadExternal: boolean,
	previous?: SlideSection
) {
	const attributes = sectionAttributes(section, loadExternal);
	if (previous) {
		const before = sectionAttributes(previous, loadExternal);
		for (const name of Object.keys(before)) {
			if (name === 'class') {
				for (const c of before.class.split(/\s+/).filter(Boolean)) element.classList.remove(c);
			} else if (!(name in attributes)) {
				element.removeAttribute(name);
			}
		}
	}
	for (const [name, value] of Object.entries(attributes)) {
		if (name === 'class') element.classList.add(...value.split(/\s+/).filter(Boolean));
		else element.setAttribute(name, value);
	}
	// Parsed inert in a template: nothing loads before the placeholders are in.
	const template = document.createElement('template');
	template.innerHTML = section.html;
	keepLocal(template.content, loadExternal);
	const video = section.attributes['data-background-iframe'];
	if (!loadExternal && video !== undefined) {
		template.content.append(
			placeholder(`Background video from ${hostOf(video)}: shown when presenting`)
		);
	}
	// reveal.js fits .r-fit-text with fitty, which keeps every element it ever fitted and
	// fails once a live edit has replaced one: the instance fits such text itself.
	for (const fit of Array.from(template.content.querySelectorAll('.r-fit-text'))) {
		fit.classList.replace('r-fit-text', 'podium-fit-text');
	}
	element.replaceChildren(template.content);
}

/** What reveal.js does to `.r-fit-text`: the largest font size at which it fits on one line. */
export function fitText(root: Element | null | undefined) {
	if (!root) return;
	for (const fit of Array.from(root.querySelectorAll<HTMLElement>('.podium-fit-text'))) {
		const available = fit.parentElement?.clientWidth ?? 0;
		if (available === 0) continue;
		fit.style.fontSize = '';
		const size = parseFloat(getComputedStyle(fit).fontSize);
		const width = fit.scrollWidth;
		if (!size || !width) continue;
		const fitted = Math.min(
			Math.max(24, (available / width) * size),
			(lib?.DECK_SLIDE_SIZE.height ?? 720) * 0.8
		);
		fit.style.fontSize = `${fitted}px`;
	}
}

/**
 * What reveal.js's highlight plugin does to new slide content (the plugin is used for its
 * highlightBlock only, so this is the one place); with `showFragments`, what
 * `fragments: false` does too.
 */
export function finishContent(
	element: HTMLElement,
	highlighter: HighlightPlugin | null,
	showFragments: boolean
) {
	if (highlighter) {
		for (const code of Array.from(element.querySelectorAll<HTMLElement>('pre code'))) {
			code.parentElement?.classList.add('code-wrapper');
			highlighter.highlightBlock(code);
		}
	}
	if (!showFragments) return;
	for (const fragment of Array.from(element.querySelectorAll('.fragment'))) {
		fragment.classList.add('visible');
	}
}

/** The options every embedded instance shares: no URL hash, history or page-level effects. */
export const EMBEDDED_OPTIONS = {
	embedded: true,
	hash: false,
	history: false,
	respondToHashChanges: false,
	jumpToSlide: false,
	overview: false,
	help: false,
	pause: false,
	previewLinks: false,
	postMessage: false,
	postMessageEvents: false,
	focusBodyOnPageVisibilityChange: false,
	hideInactiveCursor: false,
	showNotes: false,
	autoAnimate: false,
	autoSlide: 0,
	transition: 'none',
	backgroundTransition: 'none',
	// reveal.js switches to its scroll view below this width: never inside a page.
	scrollActivationWidth: 0,
	viewDistance: 2,
	mobileViewDistance: 2,
	margin: 0.04
} as const;
