import { describe, expect, it } from 'vitest';
import {
	checkImage,
	deckImageUrl,
	figureScale,
	imageMarkdown,
	imageSizeProblem,
	MAX_IMAGE_BYTES
} from '$lib/decks/image-files';
import { gifHeader, jpegHeader, pngImage, webpHeader } from '../fixtures/images';

const text = (s: string) => new TextEncoder().encode(s);

describe('checkImage', () => {
	it.each([
		['PNG', pngImage(640, 480), 'image/png'],
		['JPEG', jpegHeader(640, 480), 'image/jpeg'],
		['GIF', gifHeader(640, 480), 'image/gif'],
		['lossy WebP', webpHeader('VP8 ', 640, 480), 'image/webp'],
		['lossless WebP', webpHeader('VP8L', 640, 480), 'image/webp'],
		['extended WebP', webpHeader('VP8X', 640, 480), 'image/webp']
	])('reads the type and size of a %s from its bytes', (_, bytes, type) => {
		expect(checkImage(bytes)).toEqual({ ok: true, type, width: 640, height: 480 });
	});

	it('skips JPEG segments before the frame, whatever their length', () => {
		const jpeg = jpegHeader(1234, 77);
		const comment = [0xff, 0xfe, 0x01, 0x02, ...new Array(256).fill(0x41)];
		const bytes = new Uint8Array([...jpeg.subarray(0, 2), ...comment, ...jpeg.subarray(2)]);
		expect(checkImage(bytes)).toMatchObject({ ok: true, width: 1234, height: 77 });
	});

	it('refuses SVG, saying why', () => {
		for (const svg of [
			'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
			'<?xml version="1.0"?>\n<!-- drawn -->\n<svg width="10">'
		]) {
			const result = checkImage(text(svg));
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.message).toMatch(/SVG .*scripts/);
		}
	});

	it('refuses other files by their bytes, not their name', () => {
		expect(checkImage(text('%PDF-1.7 not an image'))).toEqual({
			ok: false,
			message: 'This file is not a PNG, JPEG, GIF or WebP image.'
		});
		expect(checkImage(new Uint8Array())).toEqual({ ok: false, message: 'The file is empty.' });
	});

	it('refuses a damaged header', () => {
		const truncated = pngImage(10, 10).subarray(0, 20);
		expect(checkImage(truncated)).toMatchObject({ ok: false, message: /damaged/ });
		expect(checkImage(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0]))).toMatchObject(
			{ ok: false }
		);
	});

	it('refuses more than 8000 pixels on a side and more than 5 MB', () => {
		expect(checkImage(pngImage(8001, 1))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/8001 × 1 pixels.*at most 8000/)
		});
		expect(checkImage(gifHeader(8000, 8000)).ok).toBe(true);
		const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
		big.set(pngImage(10, 10));
		expect(checkImage(big)).toMatchObject({ ok: false, message: /5\.0 MB.*at most 5\.0 MB/ });
		expect(imageSizeProblem(MAX_IMAGE_BYTES)).toBeNull();
	});
});

describe('deck image Markdown', () => {
	it('serves images under the deck, by hash', () => {
		expect(deckImageUrl('c1', 'l2', 'ab'.repeat(32))).toBe(
			`/courses/c1/lectures/l2/deck/images/${'ab'.repeat(32)}`
		);
	});

	it('takes the file name without extension as alt text, escaped', () => {
		expect(imageMarkdown('figure.png', '/x')).toBe('![figure](/x)');
		expect(imageMarkdown('my [best]  *plot*.JPEG', '/x')).toBe('![my \\[best\\] \\*plot\\*](/x)');
		expect(imageMarkdown('.png', '/x')).toBe('![image](/x)');
	});
});

describe('figureScale', () => {
	it('renders a full-width figure at about twice the slide width', () => {
		const scale = figureScale({ width: 500, height: 200 });
		expect(500 * scale).toBe(2400);
	});

	it('does not blow a small region up beyond 8×, nor below twice the pixel ratio', () => {
		expect(figureScale({ width: 40, height: 30 })).toBe(8);
		expect(figureScale({ width: 2000, height: 100 }, 2)).toBe(4);
	});

	it('keeps the crop within the image limits', () => {
		const scale = figureScale({ width: 3000, height: 100 }, 3);
		expect(3000 * scale).toBeLessThanOrEqual(8000);
	});
});
