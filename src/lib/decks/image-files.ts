/**
 * Images of a deck: which files are accepted (by their bytes, not their name), their limits,
 * the URL they are served at and the Markdown that shows them. Shared by the editor, which
 * refuses what is plainly too large before sending it, and the server, which decides.
 */
import { escapeMarkdown } from './citations';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The types accepted, as a file input's `accept`. */
export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

export type ImageCheck =
	{ ok: true; type: ImageType; width: number; height: number } | { ok: false; message: string };

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The message for a file over the size limit, or null. */
export function imageSizeProblem(size: number): string | null {
	if (size === 0) return 'The file is empty.';
	return size > MAX_IMAGE_BYTES
		? `The image is ${megabytes(size)}; images can be at most ${megabytes(MAX_IMAGE_BYTES)}. Save it smaller (for example as JPEG) and try again.`
		: null;
}

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const be32 = (b: Uint8Array, at: number) =>
	((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);

type Size = { width: number; height: number } | null;

function pngSize(b: Uint8Array): Size {
	// The first chunk is IHDR: length, "IHDR", width, height (big-endian).
	if (b.length < 24 || !startsWith(b, ascii('IHDR'), 12)) return null;
	return { width: be32(b, 16), height: be32(b, 20) };
}

function gifSize(b: Uint8Array): Size {
	return b.length < 10 ? null : { width: le16(b, 6), height: le16(b, 8) };
}

// Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC are not frames.
const isStartOfFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegSize(b: Uint8Array): Size {
	let at = 2;
	while (at + 9 < b.length) {
		if (b[at] !== 0xff) return null;
		const marker = b[at + 1];
		// Fill bytes and markers without a length.
		if (marker === 0xff) {
			at++;
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2;
			continue;
		}
		if (isStartOfFrame(marker)) return { height: be16(b, at + 5), width: be16(b, at + 7) };
		if (marker === 0xd9 || marker === 0xda) return null;
		at += 2 + be16(b, at + 2);
	}
	return null;
}

function webpSize(b: Uint8Array): Size {
	if (b.length < 30) return null;
	const chunk = String.fromCharCode(...b.subarray(12, 16));
	if (chunk === 'VP8 ' && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
		return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
	}
	if (chunk === 'VP8L' && b[20] === 0x2f) {
		const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
	return null;
}

const FORMATS: {
	type: ImageType;
	matches: (b: Uint8Array) => boolean;
	size: (b: Uint8Array) => Size;
}[] = [
	{
		type: 'image/png',
		matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		size: pngSize
	},
	{ type: 'image/jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]), size: jpegSize },
	{
		type: 'image/gif',
		matches: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')),
		size: gifSize
	},
	{
		type: 'image/webp',
		matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
		size: webpSize
	}
];

const looksLikeSvg = (b: Uint8Array) =>
	/^(\s|<\?xml[^>]*>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<svg[\s>]/i.test(
		new TextDecoder().decode(b.subarray(0, 2048)).replace(/^\uFEFF/, '')
	);

/**
 * What an uploaded file is, by its first bytes (the name and the browser's type can lie):
 * PNG, JPEG, GIF or WebP within the limits, or the reason it is refused.
 */
export function checkImage(bytes: Uint8Array): ImageCheck {
	const sizeProblem = imageSizeProblem(bytes.byteLength);
	if (sizeProblem) return { ok: false, message: sizeProblem };
	const format = FORMATS.find((f) => f.matches(bytes));
	if (!format) {
		return {
			ok: false,
			message: looksLikeSvg(bytes)
				? 'SVG images are not accepted because they can contain scripts; export the drawing as PNG.'
				: 'This file is not a PNG, JPEG, GIF or WebP image.'
		};
	}
	const size = format.size(bytes);
	if (!size || size.width < 1 || size.height < 1) {
		return { ok: false, message: 'This image is damaged: its size cannot be read.' };
	}
	if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) {
		return {
			ok: false,
			message: `The image is ${size.width} × ${size.height} pixels; images can be at most ${MAX_IMAGE_SIDE} pixels on a side. Scale it down and try again.`
		};
	}
	return { ok: true, type: format.type, ...size };
}

/** Where a lecture's deck images are added (POST). */
export function deckImagesUrl(courseId: string, lectureId: string): string {
	return `/courses/${courseId}/lectures/${lectureId}/deck/images`;
}

/** Where a deck image is served; an exported deck inlines the images at these URLs. */
export function deckImageUrl(courseId: string, lectureId: string, sha256: string): string {
	return `${deckImagesUrl(courseId, lectureId)}/${sha256}`;
}

/** `![name](url)`, the alt text being the file name without its extension. */
export function imageMarkdown(fileName: string, url: string): string {
	const alt = fileName
		.replace(/\.[a-z0-9]{1,5}$/i, '')
		.replace(/\s+/g, ' ')
		.trim();
	return `![${escapeMarkdown(alt || 'image')}](${url})`;
}

/** The longest side of a figure crop, in pixels: about twice a full-width slide (1280 px). */
export const FIGURE_LONG_SIDE = 2400;
// Upscaling a small region further only blurs what the PDF has.
const MAX_FIGURE_SCALE = 8;

/**
 * The scale (pixels per PDF point) to render a region of `width` × `height` points at so
 * that it stays sharp on a slide: its longer side at FIGURE_LONG_SIDE pixels, no more than
 * 8× the PDF's own size, at least twice the screen's pixel ratio, within the image limits.
 */
export function figureScale(
	region: { width: number; height: number },
	devicePixelRatio = 1
): number {
	const longer = Math.max(region.width, region.height, 1);
	const sharp = Math.min(FIGURE_LONG_SIDE / longer, MAX_FIGURE_SCALE);
	return Math.min(Math.max(sharp, 2 * devicePixelRatio), MAX_IMAGE_SIDE / longer);
}
