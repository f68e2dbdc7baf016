/**
 * What people write (Markdown, slides) may link anywhere but may not make a reader's
 * browser fetch anything from another site: an image, video or background from elsewhere
 * would tell that site who reads the page and when, and the app's Content-Security-Policy
 * refuses it anyway (so it would only show broken). Both sanitizers drop such URLs.
 */

/** Attributes whose URL the browser (or reveal.js, for data-*) fetches without a click. */
const FETCHED_ATTRIBUTES = new Set([
	'src',
	'srcset',
	'poster',
	'background',
	'data-src',
	'data-markdown',
	'data-background',
	'data-background-image',
	'data-background-video',
	'data-preview-image',
	'data-preview-video'
]);

/** SVG elements whose href (or xlink:href) is fetched, not followed. */
const FETCHING_SVG_ELEMENTS = new Set(['image', 'use', 'feimage']);

const IMAGE_DATA_URL = /^data:image\/(png|jpe?g|gif|webp|avif)[;,]/i;

/**
 * Whether a URL points outside the page's own origin: a scheme (http:, https:, ftp:, …) or
 * a protocol-relative `//host`; data:image URLs are part of the page. Control characters
 * and whitespace are ignored, as browsers ignore them in URLs.
 */
export function isOffOrigin(url: string): boolean {
	// eslint-disable-next-line no-control-regex -- browsers skip these in URLs
	const plain = url.replace(/[\u0000-\u0020\u007f]/g, '');
	if (IMAGE_DATA_URL.test(plain)) return false;
	return /^([a-z][a-z0-9+.-]*:|[\\/]{2})/i.test(plain);
}

/** The URLs an attribute value makes the browser fetch (a srcset lists several). */
function fetchedUrls(name: string, value: string): string[] {
	if (name === 'srcset')
		return value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0]);
	if (name === 'style') return [...value.matchAll(/url\(\s*['"]?([^'")]*)/gi)].map((m) => m[1]);
	return [value];
}

/**
 * Whether the attribute `name` of element `tag` would load something from another site
 * as soon as the element is shown (or a style applies).
 */
export function fetchesFromElsewhere(tag: string, name: string, value: string): boolean {
	const fetched =
		FETCHED_ATTRIBUTES.has(name) ||
		name === 'style' ||
		((name === 'href' || name === 'xlink:href') && FETCHING_SVG_ELEMENTS.has(tag));
	// An iframe's src is checked against the embed hosts the deck dialect allows.
	if (!fetched || (tag === 'iframe' && name !== 'style')) return false;
	return fetchedUrls(name, value).some(isOffOrigin);
}
