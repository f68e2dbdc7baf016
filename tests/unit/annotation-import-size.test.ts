import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BRACKETS, tooManyBrackets } from '$lib/annotations/w3c';

describe('tooManyBrackets', () => {
	it('counts { and [ together, up to the limit', () => {
		expect(tooManyBrackets('{"a": [1, {"b": []}]}', 4)).toBe(false);
		expect(tooManyBrackets('{"a": [1, {"b": [[]]}]}', 4)).toBe(true);
		expect(tooManyBrackets('', 0)).toBe(false);
		expect(tooManyBrackets('[', 0)).toBe(true);
	});

	it('refuses a million nested lists or empty objects, in a few megabytes', () => {
		expect(tooManyBrackets('['.repeat(1_000_000) + ']'.repeat(1_000_000))).toBe(true);
		expect(tooManyBrackets(`[${'{},'.repeat(999_999)}{}]`)).toBe(true);
	});

	it('lets a full export of 5,000 annotations with math in their bodies through', () => {
		const annotation = (i: number) => ({
			'@context': 'http://www.w3.org/ns/anno.jsonld',
			type: 'Annotation',
			id: `urn:podium:${i}`,
			body: [
				{ type: 'TextualBody', value: `Why $\\frac{a}{b}$ and $x_{i}^{2}$? ${i}` },
				{ type: 'TextualBody', purpose: 'tagging', value: 'question' }
			],
			target: {
				source: 'urn:paper',
				selector: [
					{ type: 'TextQuoteSelector', exact: 'quote', prefix: 'a', suffix: 'b' },
					{ type: 'TextPositionSelector', start: i, end: i + 5 }
				]
			}
		});
		const text = JSON.stringify({
			'@context': 'http://www.w3.org/ns/anno.jsonld',
			type: 'AnnotationCollection',
			first: {
				type: 'AnnotationPage',
				items: Array.from({ length: 5000 }, (_, i) => annotation(i))
			}
		});
		expect(tooManyBrackets(text)).toBe(false);
		expect(MAX_IMPORT_BRACKETS).toBeGreaterThan(5000 * 20);
	});
});
