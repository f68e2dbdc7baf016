import { describe, expect, it } from 'vitest';
import { annotationEvidence, slideEvidence, slideLabel } from '$lib/critiques/cite';
import { findEvidence } from '$lib/critiques/evidence';

describe('evidence a critique form inserts', () => {
	it('cites an annotation with a short quote that cannot break the link', () => {
		const md = annotationEvidence({
			id: 'abc123',
			paperTitle: 'ZeRO [v2]',
			page: 4,
			quote:
				'Stage three [citation] increases\nit by about half, which is a lot more than one might expect'
		});
		expect(md).toBe(
			'[“Stage three citation increases it by about half, which is a…” (ZeRO v2, p. 4)](podium:annotation/abc123)'
		);
		expect(findEvidence(md)).toEqual([{ kind: 'annotation', id: 'abc123' }]);
	});

	it('numbers slides as people count them, vertical ones after a dot', () => {
		expect(slideEvidence({ h: 2, v: 0 }, 'Memory per device')).toBe(
			'[Slide 3: Memory per device](podium:slide/3)'
		);
		expect(slideEvidence({ h: 3, v: 1 }, '')).toBe('[Slide 4.2](podium:slide/4.2)');
		expect(slideLabel({ h: 0, v: 0 }, 'A [b]')).toBe('Slide 1: A b');
		expect(findEvidence(slideEvidence({ h: 3, v: 1 }, 'x'))).toEqual([
			{ kind: 'slide', h: 4, v: 2 }
		]);
	});
});
