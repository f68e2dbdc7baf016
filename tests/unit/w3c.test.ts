import { describe, expect, it } from 'vitest';
import { describeText } from '$lib/annotations/anchoring';
import {
	ANNO_CONTEXT,
	fromAnnotationCollection,
	MAX_BODY_LENGTH,
	MAX_IMPORT_ANNOTATIONS,
	NOT_W3C_MESSAGE,
	PDF_FRAGMENT_SPEC,
	TextIndex,
	toAnnotationCollection,
	type ExportItem,
	type ImportItem,
	type ImportResult
} from '$lib/annotations/w3c';
import type { AnnotationTarget } from '$lib/annotations/types';
import { documentText, pageAt } from '$lib/papers/page-text';

// A three-page paper. Page 1 holds two astral characters (math italic 𝑥 and 𝑦, one code point
// but two UTF-16 code units each), so code point and code unit offsets differ after them.
const PAGES = [
	'Attention Is All You Need\nWe propose the Transformer, a model based solely on attention.\n' +
		'Let 𝑥 denote the input sequence and 𝑦 the output sequence of the model.\n',
	'Results\nThe Transformer achieves 28.4 BLEU on the WMT 2014 English-to-German translation ' +
		'task, improving over the existing best results.\n',
	'Conclusion\nWe presented the Transformer, the first sequence transduction model based ' +
		'entirely on attention.\n'
];
const SIZES = [
	{ width: 612, height: 792 },
	{ width: 612, height: 792 },
	{ width: 595.276, height: 841.89 }
];
const DOC = { ...documentText(PAGES), pageSizes: SIZES };

const BASE = 'https://podium.example/courses/c1/papers/p1';
const PAPER_IRI = `${BASE}/file/abc123`;
const iri = (id: string) => `${BASE}#annotation-${id}`;

/** The document offsets of the n-th occurrence (0-based) of `s`. */
function range(s: string, nth = 0): { start: number; end: number } {
	let at = -1;
	for (let i = 0; i <= nth; i++) {
		at = DOC.text.indexOf(s, at + 1);
		if (at === -1) throw new Error(`"${s}" #${nth} is not in the document`);
	}
	return { start: at, end: at + s.length };
}

function textTarget(s: string, nth = 0): AnnotationTarget {
	const { start, end } = range(s, nth);
	return describeText(DOC, start, end);
}

function item(id: string, overrides: Partial<ExportItem> = {}): ExportItem {
	return {
		iri: iri(id),
		parentIri: null,
		authorName: 'Ada Lovelace',
		target: textTarget('the Transformer'),
		body: `Comment ${id}`,
		tags: [],
		createdAt: '2025-03-01T10:00:00.000Z',
		modifiedAt: '2025-03-01T10:00:00.000Z',
		...overrides
	};
}

/** An export of `items`, as it would be written to and read from a file. */
function exported(items: ExportItem[], documentText: string | null = DOC.text) {
	const json = toAnnotationCollection({
		collectionIri: `${BASE}/export`,
		paperIri: PAPER_IRI,
		paperTitle: 'Attention Is All You Need',
		items,
		documentText: documentText ?? undefined
	});
	return JSON.parse(JSON.stringify(json)) as Record<string, unknown> & {
		first: { items: Record<string, unknown>[] };
	};
}

function imported(json: unknown): ImportItem[] {
	const result = fromAnnotationCollection(json, DOC);
	if (!result.ok) throw new Error(`Import failed: ${result.message}`);
	return result.items;
}

function refusal(json: unknown): string {
	const result: ImportResult = fromAnnotationCollection(json, DOC);
	if (result.ok) throw new Error('The import was accepted');
	return result.message;
}

/** One annotation in a minimal, valid W3C document, with `fields` replacing the defaults. */
function annotation(fields: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		'@context': ANNO_CONTEXT,
		id: 'https://other.example/anno/1',
		type: 'Annotation',
		body: { type: 'TextualBody', value: 'A comment', format: 'text/markdown' },
		target: {
			source: 'https://other.example/paper.pdf',
			selector: {
				type: 'TextQuoteSelector',
				exact: '28.4 BLEU',
				prefix: 'achieves ',
				suffix: ' on'
			}
		},
		...fields
	};
}

/** The first item of an import of `fields` as one annotation. */
function importedOne(fields: Record<string, unknown>): ImportItem {
	const items = imported(annotation(fields));
	expect(items).toHaveLength(1);
	return items[0];
}

// ---------------------------------------------------------------------------------------------

describe('the test paper', () => {
	it('has astral characters, so code points and code units differ', () => {
		const { start } = range('28.4 BLEU');
		expect(new TextIndex(DOC.text).toCodePoint(start)).toBe(start - 2);
		expect(pageAt(DOC.pageStarts, start)).toBe(2);
	});
});

describe('TextIndex', () => {
	it('converts between code units and code points both ways', () => {
		const text = 'a😀b𝑥𝑦c';
		const index = new TextIndex(text);
		const points = [...text];
		expect(index.codePointLength).toBe(points.length);
		let unit = 0;
		for (let point = 0; point <= points.length; point++) {
			expect(index.toCodeUnit(point)).toBe(unit);
			expect(index.toCodePoint(unit)).toBe(point);
			unit += points[point]?.length ?? 0;
		}
	});

	it('is the identity on text without astral characters', () => {
		const index = new TextIndex('plain text, ünïcödé but BMP only');
		expect(index.toCodePoint(17)).toBe(17);
		expect(index.toCodeUnit(17)).toBe(17);
	});
});

describe('round trip (export, then import)', () => {
	const items: ExportItem[] = [
		item('a1', { tags: ['question', 'strength'], body: 'Why **only** attention?\n\n- a\n- b' }),
		// Crosses from page 1 into page 2.
		item('a2', { target: textTarget('output sequence of the model.\n\n\nResults') }),
		// Two astral characters precede it.
		item('a3', { target: textTarget('28.4 BLEU'), authorName: null }),
		item('a4', {
			target: { kind: 'region', page: 3, rect: { x: 72.5, y: 100, width: 200.25, height: 50.125 } },
			tags: ['figure-1']
		}),
		item('r1', { parentIri: iri('a1'), target: null, body: 'Because it parallelizes.' }),
		item('r2', { parentIri: iri('r1'), target: null, body: 'And it scales.' })
	];

	const expected = items.map((i) => ({
		key: i.iri,
		parentKey: i.parentIri,
		target: i.target,
		body: i.body,
		tags: i.tags
	}));

	it('preserves bodies, tags, targets and replies', () => {
		expect(imported(exported(items))).toEqual(expected);
	});

	it('preserves them when positions were written as code units (no document text given)', () => {
		const json = exported(items, null);
		const a3 = json.first.items[2] as { target: { selector: { start: number }[] } };
		expect(a3.target.selector[1].start).toBe(range('28.4 BLEU').start);
		expect(imported(json)).toEqual(expected);
	});

	it('counts exported positions in code points', () => {
		const json = exported(items);
		const a3 = json.first.items[2] as { target: { selector: { start: number; end: number }[] } };
		const { start, end } = range('28.4 BLEU');
		expect(a3.target.selector[1]).toEqual({
			type: 'TextPositionSelector',
			start: start - 2,
			end: end - 2
		});
		expect([...DOC.text].slice(start - 2, end - 2).join('')).toBe('28.4 BLEU');
	});

	it('keeps the structure when replies come before what they answer', () => {
		const json = exported(items);
		json.first.items.reverse();
		const result = imported(json);
		expect(result.map((i) => i.key)).toEqual(items.map((i) => i.iri).reverse());
		expect(result.find((i) => i.key === iri('r2'))?.parentKey).toBe(iri('r1'));
	});

	it('writes and reads an empty collection', () => {
		const json = exported([]);
		expect(json.total).toBe(0);
		expect(imported(json)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------

const XSD_DATETIME_UTC = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MOTIVATIONS = [
	'assessing',
	'bookmarking',
	'classifying',
	'commenting',
	'describing',
	'editing',
	'highlighting',
	'identifying',
	'linking',
	'moderating',
	'questioning',
	'replying',
	'tagging'
];

function expectIri(value: unknown) {
	expect(typeof value).toBe('string');
	expect(() => new URL(value as string)).not.toThrow();
	expect(value as string).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/i);
}

/** Every object in a JSON tree. */
function objects(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
	if (Array.isArray(node)) node.forEach((n) => objects(n, found));
	else if (typeof node === 'object' && node !== null) {
		found.push(node as Record<string, unknown>);
		Object.values(node).forEach((n) => objects(n, found));
	}
	return found;
}

describe('the exported JSON-LD meets every MUST of the Web Annotation Data Model', () => {
	const items: ExportItem[] = [
		item('a1', { tags: ['question'] }),
		item('a2', { target: textTarget('28.4 BLEU'), authorName: null }),
		item('a3', {
			target: { kind: 'region', page: 2, rect: { x: 10, y: 20, width: 300, height: 40 } },
			createdAt: '2025-03-01T11:00:00+01:00',
			modifiedAt: '2025-03-02T09:30:00.5+01:00'
		}),
		item('r1', { parentIri: iri('a1'), target: null })
	];
	const raw = toAnnotationCollection({
		collectionIri: `${BASE}/export`,
		paperIri: PAPER_IRI,
		paperTitle: 'Attention Is All You Need',
		items,
		documentText: DOC.text
	});
	const json = exported(items);
	const page = json.first as unknown as Record<string, unknown>;
	const annotations = page.items as Record<string, unknown>[];

	it('is plain JSON', () => {
		// JSON-LD is JSON: nothing is lost by serializing (no undefined, no Date objects).
		expect(JSON.parse(JSON.stringify(raw))).toStrictEqual(raw);
	});

	it('the collection (§5.1)', () => {
		// §5.1: 1 or more @context values, http://www.w3.org/ns/anno.jsonld one of them; a single
		// value as a string (§3.1). Given first, so streaming JSON-LD processors see it first.
		expect(Object.keys(json)[0]).toBe('@context');
		expect(json['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
		// §5.1: exactly 1 IRI that identifies it.
		expectIri(json.id);
		// §5.1: 1 or more types, AnnotationCollection one of them.
		expect(json.type).toBe('AnnotationCollection');
		// §5.1: label, if present, MUST be a string.
		expect(typeof json.label).toBe('string');
		// §5.1: total, if present, MUST be an xsd:nonNegativeInteger.
		expect(Number.isInteger(json.total) && (json.total as number) >= 0).toBe(true);
		expect(json.total).toBe(items.length);
		// §5.1: a collection with total > 0 MUST have exactly 1 first page (here embedded).
		expect(Array.isArray(json.first)).toBe(false);
		expect(typeof json.first).toBe('object');
		// §5.1: last SHOULD reference the IRI of the last page (the only page).
		expect(json.last).toBe(page.id);
	});

	it('the page (§5.2)', () => {
		// §5.2: an embedded page SHOULD NOT have an @context (it is the collection's).
		expect(page).not.toHaveProperty('@context');
		// §5.2: exactly 1 IRI that provides its identity.
		expectIri(page.id);
		expect(page.id).not.toBe(json.id);
		// §5.2: 1 or more types, AnnotationPage one of them.
		expect(page.type).toBe('AnnotationPage');
		// §5.2: partOf SHOULD be the collection.
		expect(page.partOf).toBe(json.id);
		// §5.2: an array of 1 or more Annotations as items.
		expect(Array.isArray(page.items)).toBe(true);
		expect(annotations.length).toBeGreaterThanOrEqual(1);
		// §5.2: startIndex, at most 1, an xsd:nonNegativeInteger; the first entry is 0.
		expect(page.startIndex).toBe(0);
		// §5.2: next is REQUIRED unless this is the last page; it is the only page.
		expect(page).not.toHaveProperty('next');
	});

	it('an empty collection has no page (§5.1, §5.2)', () => {
		const empty = exported([]);
		expect(empty['@context']).toBe(ANNO_CONTEXT);
		expect(empty.type).toBe('AnnotationCollection');
		expect(empty.total).toBe(0);
		// §5.2: a page MUST list 1 or more annotations, so none is written; §5.1 only requires
		// first when total > 0.
		expect(empty).not.toHaveProperty('first');
		expect(empty).not.toHaveProperty('last');
	});

	it('each annotation (§3.1)', () => {
		const ids = new Set<unknown>();
		for (const a of annotations) {
			// §3.1: @context MUST be present — given once at the top of the document, which
			// embedded annotations inherit as in the model's example of an embedded page (§5.2).
			expect(a).not.toHaveProperty('@context');
			// §3.1: exactly 1 IRI that identifies it (and no two the same).
			expectIri(a.id);
			expect(ids.has(a.id)).toBe(false);
			ids.add(a.id);
			// §3.1: 1 or more types, Annotation one of them.
			expect(a.type).toBe('Annotation');
			// §3.1: 1 or more targets.
			expect(a.target).toBeDefined();
			expect(a.target).not.toBeNull();
			// §3.2.5: bodyValue MUST NOT appear with body.
			expect(a).not.toHaveProperty('bodyValue');
			// §3.3.5: a motivation from the model's list.
			expect(MOTIVATIONS).toContain(a.motivation);
		}
		expect(annotations.map((a) => a.motivation)).toEqual([
			'commenting',
			'commenting',
			'commenting',
			'replying'
		]);
	});

	it('lifecycle and agents (§3.3.1, §3.3.2)', () => {
		for (const a of annotations) {
			// §3.3.1: created and modified, at most 1 each, xsd:dateTime in UTC expressed as "Z".
			expect(typeof a.created).toBe('string');
			expect(a.created).toMatch(XSD_DATETIME_UTC);
			expect(a.modified).toMatch(XSD_DATETIME_UTC);
		}
		expect(annotations[2].created).toBe('2025-03-01T10:00:00.000Z');
		expect(annotations[2].modified).toBe('2025-03-02T08:30:00.500Z');
		// §3.3.2: an agent MUST NOT have more than 1 IRI (none here); SHOULD have a type and name.
		expect(annotations[0].creator).toEqual({ type: 'Person', name: 'Ada Lovelace' });
		// Unknown author: no creator at all (it is a SHOULD, §3.3.1).
		expect(annotations[1]).not.toHaveProperty('creator');
	});

	it('textual bodies (§3.2.4, §3.3.5)', () => {
		for (const a of annotations) {
			const bodies = a.body as Record<string, unknown>[];
			expect(Array.isArray(bodies)).toBe(true);
			for (const body of bodies) {
				// §3.2.4: SHOULD have the TextualBody class; MUST have exactly 1 value.
				expect(body.type).toBe('TextualBody');
				expect(typeof body.value).toBe('string');
				// §3.3.5: purpose values are Motivations.
				expect(MOTIVATIONS).toContain(body.purpose);
			}
			// The comment is Markdown; its purpose is the annotation's motivation.
			expect(bodies[0]).toMatchObject({ format: 'text/markdown', purpose: a.motivation });
		}
		expect(annotations[0].body).toEqual([
			{ type: 'TextualBody', value: 'Comment a1', format: 'text/markdown', purpose: 'commenting' },
			{ type: 'TextualBody', value: 'question', purpose: 'tagging' }
		]);
	});

	it('specific resources and selectors (§4, §4.2)', () => {
		for (const a of annotations.slice(0, 3)) {
			const target = a.target as Record<string, unknown>;
			// §4: SHOULD have the SpecificResource class; MUST have exactly 1 source.
			expect(target.type).toBe('SpecificResource');
			expect(target.source).toBe(PAPER_IRI);
			expectIri(target.source);
		}
		const text = (annotations[1].target as { selector: Record<string, unknown>[] }).selector;
		// §4.2: multiple selectors describe the same segment: the quote and its position.
		expect(text.map((s) => s.type)).toEqual(['TextQuoteSelector', 'TextPositionSelector']);
		const [quote, position] = text;
		// §4.2.4: exactly 1 exact; prefix and suffix at most 1 each.
		expect(quote.exact).toBe('28.4 BLEU');
		expect(typeof quote.prefix).toBe('string');
		expect(typeof quote.suffix).toBe('string');
		// §4.2.5: start and end, exactly 1 each, non-negative integers, in code points of the
		// same (normalized) text the quote was taken from (§4.2.4).
		expect(Number.isInteger(position.start) && (position.start as number) >= 0).toBe(true);
		expect(Number.isInteger(position.end) && (position.end as number) >= 0).toBe(true);
		const points = [...DOC.text];
		expect(points.slice(position.start as number, position.end as number).join('')).toBe(
			quote.exact
		);
		expect(points.slice((position.start as number) - 32, position.start as number).join('')).toBe(
			quote.prefix
		);

		const region = (annotations[2].target as { selector: Record<string, unknown> }).selector;
		// §4.2.1: exactly 1 type FragmentSelector, exactly 1 value, at most 1 conformsTo (the
		// PDF fragment specification, RFC 3778, whose viewrect is left,top,width,height).
		expect(region).toEqual({
			type: 'FragmentSelector',
			conformsTo: 'http://tools.ietf.org/rfc/rfc3778',
			value: 'page=2&viewrect=10,20,300,40'
		});
		expect(PDF_FRAGMENT_SPEC).toBe('http://tools.ietf.org/rfc/rfc3778');
	});

	it('every selector anywhere has exactly one known type and its required properties', () => {
		const selectors = objects(json).filter((o) => String(o.type).endsWith('Selector'));
		expect(selectors.length).toBe(5);
		for (const s of selectors) {
			// §4.2.1, §4.2.4, §4.2.5: each selector MUST have exactly 1 type.
			expect(typeof s.type).toBe('string');
			if (s.type === 'TextQuoteSelector') expect(typeof s.exact).toBe('string');
			else if (s.type === 'TextPositionSelector') {
				expect(Number.isInteger(s.start)).toBe(true);
				expect(Number.isInteger(s.end)).toBe(true);
			} else {
				expect(s.type).toBe('FragmentSelector');
				expect(typeof s.value).toBe('string');
				expect(typeof s.conformsTo).toBe('string');
			}
		}
	});

	it('replies target the annotation they answer (§3.1, §3.3.5)', () => {
		const reply = annotations[3];
		expect(reply.motivation).toBe('replying');
		// A target given by IRI: the annotation replied to, which is in the same collection.
		expect(reply.target).toBe(iri('a1'));
		expect(annotations.map((a) => a.id)).toContain(reply.target);
	});

	it('refuses input that cannot make a valid collection', () => {
		const build =
			(items: ExportItem[], paperIri = PAPER_IRI) =>
			() =>
				toAnnotationCollection({
					collectionIri: `${BASE}/export`,
					paperIri,
					paperTitle: 't',
					items
				});
		expect(build([item('x', { iri: 'annotation-1' })])).toThrow(/not absolute/);
		expect(build([item('x')], '/relative/paper.pdf')).toThrow(/not absolute/);
		expect(build([item('x', { createdAt: 'yesterday' })])).toThrow(/Invalid date/);
		expect(build([item('x', { target: null })])).toThrow(/neither a target nor a parent/);
		expect(build([item('x'), item('x')])).toThrow(/Two annotations/);
	});
});

// ---------------------------------------------------------------------------------------------

/** Hypothesis' JSON-LD (h/presenters/annotation_jsonld.py) for an annotation on a PDF. */
function hypothesis(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		'@context': 'http://www.w3.org/ns/anno.jsonld',
		type: 'Annotation',
		id: 'https://hypothes.is/a/Hf3kQvtmEe6Hy0c',
		created: '2024-11-02T16:25:03.412731+00:00',
		modified: '2024-11-02T16:25:03.412731+00:00',
		creator: 'acct:alice@hypothes.is',
		body: [
			{ type: 'TextualBody', value: 'Is this **significant**?', format: 'text/markdown' },
			{ type: 'TextualBody', value: 'Machine Learning', purpose: 'tagging' },
			{ type: 'TextualBody', value: 'results', purpose: 'tagging' }
		],
		target: [
			{
				source: 'https://arxiv.org/pdf/1706.03762',
				selector: [
					{
						type: 'XPathSelector',
						value: '/div[2]/div[3]',
						refinedBy: { type: 'TextPositionSelector', start: 12, end: 21 }
					},
					// Hypothesis counts in its own text of the PDF: not Podium's.
					{ type: 'TextPositionSelector', start: 4180, end: 4189 },
					{
						type: 'TextQuoteSelector',
						exact: '28.4 BLEU',
						prefix: 'The Transformer achieves ',
						suffix: ' on the WMT 2014 English-to-G'
					},
					{ type: 'PageSelector', index: 1, label: '2' }
				]
			}
		],
		...overrides
	};
}

describe('importing Hypothesis annotations', () => {
	it('anchors the quote, reads the comment and the tags', () => {
		expect(imported(hypothesis())).toEqual([
			{
				key: 'https://hypothes.is/a/Hf3kQvtmEe6Hy0c',
				parentKey: null,
				target: textTarget('28.4 BLEU'),
				body: 'Is this **significant**?',
				tags: ['machine-learning', 'results']
			}
		]);
	});

	it('reads a list of them, with their RangeSelectors', () => {
		const second = hypothesis({
			id: 'https://hypothes.is/a/second',
			body: [{ type: 'TextualBody', value: 'Strong claim.', format: 'text/markdown' }],
			target: [
				{
					source: 'https://arxiv.org/pdf/1706.03762',
					selector: [
						{
							type: 'RangeSelector',
							startSelector: {
								type: 'XPathSelector',
								value: '/div[1]',
								refinedBy: { type: 'TextPositionSelector', start: 3, end: 3 }
							},
							endSelector: {
								type: 'XPathSelector',
								value: '/div[4]',
								refinedBy: { type: 'TextPositionSelector', start: 7, end: 7 }
							}
						},
						{
							type: 'TextQuoteSelector',
							exact: 'based entirely on attention',
							prefix: 'sequence transduction model ',
							suffix: '.\n'
						}
					]
				}
			]
		});
		const items = imported([hypothesis(), second]);
		expect(items.map((i) => i.key)).toEqual([
			'https://hypothes.is/a/Hf3kQvtmEe6Hy0c',
			'https://hypothes.is/a/second'
		]);
		expect(items[1].target).toEqual(textTarget('based entirely on attention'));
		expect(items[1].target).toMatchObject({ page: 3, endPage: 3 });
	});

	it('refuses a highlight, which has no comment', () => {
		const highlight = hypothesis({
			body: [{ type: 'TextualBody', value: '', format: 'text/markdown' }]
		});
		expect(refusal(highlight)).toBe(
			'Annotation 1 (https://hypothes.is/a/Hf3kQvtmEe6Hy0c): it has no comment; Podium ' +
				'annotations and replies need some text.'
		);
	});
});

// ---------------------------------------------------------------------------------------------

describe('importing the compacted forms the model allows', () => {
	const bleu = textTarget('28.4 BLEU');

	it('single objects instead of arrays, arrays of one instead of values', () => {
		const one = importedOne({
			type: ['Annotation'],
			motivation: ['oa:commenting'],
			body: { type: 'TextualBody', value: 'Single body' },
			target: [
				{
					type: 'SpecificResource',
					source: [{ id: 'https://other.example/paper.pdf', type: 'Text' }],
					selector: {
						type: ['TextQuoteSelector'],
						exact: ['28.4 BLEU'],
						prefix: 'achieves ',
						suffix: [' on']
					}
				}
			]
		});
		expect(one).toEqual({
			key: 'https://other.example/anno/1',
			parentKey: null,
			target: bleu,
			body: 'Single body',
			tags: []
		});
	});

	it('@id and @type for id and type', () => {
		const node = annotation({ '@id': 'urn:uuid:5b4c8a1e-2f0d-4b8e-9a3c-1d2e3f4a5b6c' });
		delete node.id;
		delete node.type;
		node['@type'] = 'Annotation';
		expect(imported(node)[0].key).toBe('urn:uuid:5b4c8a1e-2f0d-4b8e-9a3c-1d2e3f4a5b6c');
	});

	it('bodyValue, a plain-text body (§3.2.5)', () => {
		const node = annotation({ bodyValue: 'Plain comment' });
		delete node.body;
		expect(imported(node)[0].body).toBe('Plain comment');
	});

	it('textual bodies given by value and purpose, without a type', () => {
		const one = importedOne({
			body: [
				{ value: 'First part.', purpose: 'commenting' },
				{ value: 'Second part.', purpose: ['describing'] },
				{ value: 'Weakness', purpose: ['oa:tagging'] },
				{ value: 'weakness', purpose: 'http://www.w3.org/ns/oa#tagging' }
			]
		});
		expect(one.body).toBe('First part.\n\nSecond part.');
		expect(one.tags).toEqual(['weakness']);
	});

	it('bodies without a purpose serve a tagging motivation', () => {
		const one = importedOne({
			motivation: 'tagging',
			body: [
				{ type: 'TextualBody', value: 'ablation' },
				{ type: 'TextualBody', value: 'Needs an ablation.', purpose: 'commenting' }
			]
		});
		expect(one.tags).toEqual(['ablation']);
		expect(one.body).toBe('Needs an ablation.');
	});

	it('a Choice of bodies: the first, the default (§3.2.7)', () => {
		const one = importedOne({
			body: {
				type: 'Choice',
				items: [
					{ type: 'TextualBody', value: 'English', language: 'en' },
					{ type: 'TextualBody', value: 'Deutsch', language: 'de' }
				]
			}
		});
		expect(one.body).toBe('English');
	});

	it('a context given as an array with more than the annotation context', () => {
		const one = importedOne({
			'@context': [ANNO_CONTEXT, { podium: 'https://podium.example/ns#' }]
		});
		expect(one.target).toEqual(bleu);
	});

	it('a page, a collection with items of its own, and a @graph', () => {
		const anno = annotation();
		delete anno['@context'];
		const page = {
			'@context': ANNO_CONTEXT,
			id: 'https://other.example/page/1',
			type: 'AnnotationPage',
			items: [anno]
		};
		const collection = {
			'@context': ANNO_CONTEXT,
			id: 'https://other.example/c',
			type: 'AnnotationCollection',
			total: 1,
			items: [anno]
		};
		const graph = { '@context': ANNO_CONTEXT, '@graph': [anno] };
		for (const json of [page, collection, graph]) {
			expect(imported(json).map((i) => i.target)).toEqual([bleu]);
		}
	});

	it('a TextPositionSelector alone: the quote is the text there (code points)', () => {
		const { start, end } = range('28.4 BLEU');
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: { type: 'TextPositionSelector', start: start - 2, end: end - 2 }
			}
		});
		expect(one.target).toEqual(bleu);
	});

	it('a page FragmentSelector refined by a quote and a position within the page (§4.2.9)', () => {
		const pageStart = DOC.pageStarts[1];
		const { start, end } = range('28.4 BLEU');
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: {
					type: 'FragmentSelector',
					conformsTo: PDF_FRAGMENT_SPEC,
					value: 'page=2',
					refinedBy: [
						{ type: 'TextQuoteSelector', exact: '28.4 BLEU' },
						{ type: 'TextPositionSelector', start: start - pageStart, end: end - pageStart }
					]
				}
			}
		});
		expect(one.target).toEqual(bleu);
	});

	it('selectors that do not apply to a PDF are skipped as alternatives (§4.2)', () => {
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					'https://other.example/selectors/1',
					{
						type: 'FragmentSelector',
						conformsTo: 'http://www.w3.org/TR/media-frags/',
						value: 'xywh=1,2,3,4'
					},
					{ type: 'CssSelector', value: '#results > p' },
					{ type: 'TextQuoteSelector', exact: '28.4 BLEU' }
				]
			}
		});
		expect(one.target).toEqual(bleu);
	});

	it('regions: viewrect, highlight, a whole page, and an IRI with a PDF fragment', () => {
		const region = (selector: unknown) => importedOne({ target: { source: PAPER_IRI, selector } });
		expect(
			region({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=2&viewrect=10.5,20,300,40.25'
			}).target
		).toEqual({ kind: 'region', page: 2, rect: { x: 10.5, y: 20, width: 300, height: 40.25 } });
		// highlight=left,right,top,bottom; no conformsTo, but the value is PDF Open Parameters.
		expect(
			region({ type: 'FragmentSelector', value: 'page=1&highlight=100,200,50,90&zoom=100' }).target
		).toEqual({ kind: 'region', page: 1, rect: { x: 100, y: 50, width: 100, height: 40 } });
		expect(
			region({ type: 'FragmentSelector', conformsTo: PDF_FRAGMENT_SPEC, value: 'page=3' }).target
		).toEqual({ kind: 'region', page: 3, rect: { x: 0, y: 0, width: 595.276, height: 841.89 } });
		expect(importedOne({ target: `${PAPER_IRI}#page=1&viewrect=0,0,612,100` }).target).toEqual({
			kind: 'region',
			page: 1,
			rect: { x: 0, y: 0, width: 612, height: 100 }
		});
	});

	it('a reply whose target is the parent given as an object', () => {
		const parent = annotation();
		const reply = annotation({
			id: 'https://other.example/anno/2',
			motivation: 'replying',
			body: { type: 'TextualBody', value: 'Agreed.' },
			target: { id: 'https://other.example/anno/1' }
		});
		const items = imported([parent, reply]);
		expect(items[1]).toEqual({
			key: 'https://other.example/anno/2',
			parentKey: 'https://other.example/anno/1',
			target: null,
			body: 'Agreed.',
			tags: []
		});
	});
});

// ---------------------------------------------------------------------------------------------

describe('re-anchoring', () => {
	it('finds the quote when the position is off', () => {
		const { start, end } = range('The Transformer');
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					{
						type: 'TextQuoteSelector',
						exact: 'The Transformer',
						prefix: 'Results\n',
						suffix: ' achieves'
					},
					{ type: 'TextPositionSelector', start: start + 7, end: end + 7 }
				]
			}
		});
		expect(one.target).toEqual(textTarget('The Transformer'));
		expect(one.target).toMatchObject({ page: 2, endPage: 2 });
	});

	it('takes the document’s own context for an exact match found elsewhere', () => {
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					{
						type: 'TextQuoteSelector',
						exact: 'sequence transduction model',
						prefix: 'the first ',
						suffix: ' based'
					},
					{ type: 'TextPositionSelector', start: 3, end: 30 }
				]
			}
		});
		expect(one.target).toEqual(textTarget('sequence transduction model'));
	});

	it('uses positions counted in code units when they match (as some tools write them)', () => {
		const { start, end } = range('28.4 BLEU');
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					{ type: 'TextQuoteSelector', exact: '28.4 BLEU' },
					{ type: 'TextPositionSelector', start, end }
				]
			}
		});
		expect(one.target).toEqual(textTarget('28.4 BLEU'));
	});

	it('keeps a changed quote as written where it now nearly matches', () => {
		const written = 'achieves 28.4 BLEU on the WMT 2041 English-to-German';
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: {
					type: 'TextQuoteSelector',
					exact: written,
					prefix: 'The Transformer ',
					suffix: ' translation task'
				}
			}
		});
		const real = range('achieves 28.4 BLEU on the WMT 2014 English-to-German');
		expect(one.target).toEqual({
			kind: 'text',
			page: 2,
			endPage: 2,
			quote: {
				type: 'TextQuoteSelector',
				exact: written,
				prefix: 'The Transformer ',
				suffix: ' translation task'
			},
			position: { type: 'TextPositionSelector', ...real }
		});
	});

	it('keeps a quote that is not in the paper as written: an orphan', () => {
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					{
						type: 'TextQuoteSelector',
						exact: 'recurrent layers are slower',
						prefix: 'x'.repeat(100),
						suffix: ''
					},
					{ type: 'TextPositionSelector', start: 150, end: 177 }
				]
			}
		});
		// Code points 150-177 are code units 152-179: two astral characters come before.
		const index = new TextIndex(DOC.text);
		expect([index.toCodeUnit(150), index.toCodeUnit(177)]).toEqual([152, 179]);
		expect(one.target).toEqual({
			kind: 'text',
			page: pageAt(DOC.pageStarts, 152),
			endPage: pageAt(DOC.pageStarts, 178),
			// Podium keeps at most 64 characters of context.
			quote: {
				type: 'TextQuoteSelector',
				exact: 'recurrent layers are slower',
				prefix: 'x'.repeat(64),
				suffix: ''
			},
			position: { type: 'TextPositionSelector', start: 152, end: 179 }
		});
	});

	it('places an orphan without a position at the start of its page', () => {
		const one = importedOne({
			target: {
				source: PAPER_IRI,
				selector: [
					{ type: 'TextQuoteSelector', exact: 'nowhere to be found' },
					{ type: 'PageSelector', index: 2, label: '3' }
				]
			}
		});
		expect(one.target).toMatchObject({
			kind: 'text',
			page: 3,
			endPage: 3,
			position: { start: DOC.pageStarts[2], end: DOC.pageStarts[2] + 19 }
		});
	});
});

// ---------------------------------------------------------------------------------------------

describe('refusals', () => {
	it('anything that is not W3C annotations', () => {
		for (const json of [
			null,
			'text',
			42,
			{},
			[1, 2],
			{ type: 'AnnotationCollection', items: [] },
			{ '@context': 'https://schema.org', type: 'Annotation' },
			{ '@context': ANNO_CONTEXT, type: 'Article' },
			[{ type: 'Annotation', id: 'https://a.example/1' }]
		]) {
			expect(refusal(json)).toBe(NOT_W3C_MESSAGE);
		}
		expect(NOT_W3C_MESSAGE).toBe('This file is not a W3C annotation collection.');
	});

	it('a list with something else after the first annotation', () => {
		expect(refusal([annotation(), { type: 'Note' }])).toBe(
			'Item 2 of the list is not a W3C annotation (it needs "@context": ' +
				'"http://www.w3.org/ns/anno.jsonld" and "type": "Annotation").'
		);
	});

	it('collections that do not hold their annotations', () => {
		const collection = (fields: Record<string, unknown>) => ({
			'@context': ANNO_CONTEXT,
			id: 'https://other.example/c',
			type: 'AnnotationCollection',
			...fields
		});
		expect(refusal(collection({ total: 3, first: 'https://other.example/c/page1' }))).toBe(
			'The collection only links to its first page (https://other.example/c/page1); the file ' +
				'must contain the annotations themselves.'
		);
		expect(
			refusal(
				collection({
					first: {
						type: 'AnnotationPage',
						next: 'https://other.example/c/page2',
						items: [annotation()]
					}
				})
			)
		).toBe(
			'The annotations continue on another page of the collection; export all of them into ' +
				'one file.'
		);
		expect(refusal(collection({ total: 2, items: [annotation()] }))).toBe(
			'The collection says it holds 2 annotations but the file contains 1; export all of ' +
				'them into one file.'
		);
		expect(
			refusal(collection({ first: { type: 'AnnotationPage', items: ['https://x.example/a'] } }))
		).toBe(
			'Annotation 1 of the collection is only a link (https://x.example/a); the file must ' +
				'contain the annotations themselves.'
		);
	});

	it('missing or unusable ids', () => {
		const noId = annotation();
		delete noId.id;
		expect(refusal([annotation(), noId])).toBe(
			'Annotation 2 has no "id"; every W3C annotation needs one.'
		);
		expect(refusal(annotation({ id: 'anno 1' }))).toBe(
			'Annotation 1 has the id "anno 1", which is not an IRI.'
		);
		expect(refusal([annotation(), annotation()])).toBe(
			'Annotation 2 has the id https://other.example/anno/1, like an annotation before it.'
		);
	});

	it('a missing target, or several', () => {
		const noTarget = annotation({ id: 'https://other.example/anno/2' });
		delete noTarget.target;
		expect(refusal([annotation(), noTarget])).toBe(
			'Annotation 2 (https://other.example/anno/2): it has no target; every W3C annotation ' +
				'needs one.'
		);
		expect(refusal(annotation({ target: [PAPER_IRI + '#page=1', PAPER_IRI + '#page=2'] }))).toBe(
			'Annotation 1 (https://other.example/anno/1): it has 2 targets; a Podium annotation has ' +
				'exactly one.'
		);
	});

	it('a target on the whole document', () => {
		expect(refusal(annotation({ target: [{ source: 'https://arxiv.org/pdf/1706.03762' }] }))).toBe(
			'Annotation 1 (https://other.example/anno/1): its target ' +
				'https://arxiv.org/pdf/1706.03762 selects neither a passage nor a region; Podium ' +
				'annotations need one.'
		);
	});

	it('unknown selector types, and selectors without a type', () => {
		const withSelector = (selector: unknown) =>
			refusal(annotation({ target: { source: PAPER_IRI, selector } }));
		expect(withSelector({ type: 'EPUBContentSelector', value: 'x' })).toBe(
			'Annotation 1 (https://other.example/anno/1): it uses the selector type ' +
				'"EPUBContentSelector", which Podium does not know.'
		);
		expect(withSelector([{ exact: 'x' }])).toBe(
			'Annotation 1 (https://other.example/anno/1): each selector must have exactly one type ' +
				'(§4.2).'
		);
		expect(withSelector([{ type: 'CssSelector', value: '#x' }])).toBe(
			'Annotation 1 (https://other.example/anno/1): none of its selectors applies to a PDF ' +
				'(Podium reads TextQuoteSelector, TextPositionSelector and FragmentSelector with PDF ' +
				'parameters).'
		);
		expect(
			withSelector({
				type: 'TextQuoteSelector',
				exact: '28.4 BLEU',
				refinedBy: { type: 'TextPositionSelector', start: 0, end: 2 }
			})
		).toBe(
			'Annotation 1 (https://other.example/anno/1): its TextQuoteSelector is refined by ' +
				'another selector, which Podium cannot apply.'
		);
	});

	it('invalid selectors', () => {
		const withSelector = (selector: unknown) =>
			refusal(annotation({ target: { source: PAPER_IRI, selector } }));
		const at = 'Annotation 1 (https://other.example/anno/1): ';
		expect(withSelector({ type: 'TextQuoteSelector', prefix: 'a' })).toBe(
			at + 'its TextQuoteSelector must have exactly one "exact" (§4.2.4).'
		);
		expect(withSelector({ type: 'TextQuoteSelector', exact: '' })).toBe(
			at + 'its TextQuoteSelector quotes no text.'
		);
		expect(withSelector({ type: 'TextQuoteSelector', exact: 'x', prefix: ['a', 'b'] })).toBe(
			at + 'its TextQuoteSelector must have at most one text "prefix" (§4.2.4).'
		);
		for (const [start, end] of [
			[-1, 4],
			[1.5, 4],
			['1', 4]
		]) {
			expect(withSelector({ type: 'TextPositionSelector', start, end })).toBe(
				at +
					'its TextPositionSelector must have one "start" and one "end", each a whole number ' +
					'of 0 or more (§4.2.5).'
			);
		}
		expect(withSelector({ type: 'TextPositionSelector', start: 9, end: 9 })).toBe(
			at + 'its TextPositionSelector (9–9) selects no text.'
		);
		expect(withSelector({ type: 'FragmentSelector', conformsTo: PDF_FRAGMENT_SPEC })).toBe(
			at + 'its FragmentSelector must have exactly one "value" (§4.2.1).'
		);
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'nameddest=x'
			})
		).toBe(
			at +
				'its FragmentSelector "nameddest=x" uses the PDF parameter "nameddest", which Podium cannot place.'
		);
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=1&viewrect=1,2,3'
			})
		).toBe(
			at + 'its FragmentSelector "page=1&viewrect=1,2,3" has a viewrect that is not four numbers.'
		);
	});

	it('selectors out of range', () => {
		const withSelector = (selector: unknown) =>
			refusal(annotation({ target: { source: PAPER_IRI, selector } }));
		const at = 'Annotation 1 (https://other.example/anno/1): ';
		const length = [...DOC.text].length;
		expect(withSelector({ type: 'TextPositionSelector', start: length - 2, end: length + 5 })).toBe(
			at +
				`its TextPositionSelector (${length - 2}–${length + 5}) lies outside the paper's text ` +
				`(${length} characters).`
		);
		expect(
			withSelector({ type: 'FragmentSelector', conformsTo: PDF_FRAGMENT_SPEC, value: 'page=4' })
		).toBe(at + 'its FragmentSelector names page 4, but the paper has 3 pages.');
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=1&viewrect=500,700,200,50'
			})
		).toBe(at + 'its region (500, 700, 200, 50) does not lie within page 1 (612 × 792 points).');
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=1&viewrect=10,10,0,50'
			})
		).toBe(at + 'its region on page 1 has no area.');
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=1&viewrect=10,10,2,2'
			})
		).toBe(at + 'its target cannot be used (Draw a larger region.).');
		expect(
			withSelector({
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: 'page=2',
				refinedBy: { type: 'TextPositionSelector', start: 100, end: 900 }
			})
		).toBe(at + 'its TextPositionSelector (100–900) lies outside the text of page 2.');
		expect(refusal(annotation({ target: `${PAPER_IRI}#page=7&viewrect=0,0,10,10` }))).toBe(
			at + 'its region is on page 7, but the paper has 3 pages.'
		);
	});

	it('replies to annotations that are not in the file, to themselves, or in a loop', () => {
		expect(
			refusal(
				annotation({
					motivation: 'replying',
					target: 'https://other.example/anno/99'
				})
			)
		).toBe(
			'Annotation 1 (https://other.example/anno/1): it replies to ' +
				'https://other.example/anno/99, which is not an annotation in this file.'
		);
		expect(refusal(annotation({ target: 'https://other.example/anno/1' }))).toBe(
			'Annotation 1 (https://other.example/anno/1): it replies to itself.'
		);
		const a = annotation({ id: 'https://other.example/a', target: 'https://other.example/b' });
		const b = annotation({ id: 'https://other.example/b', target: 'https://other.example/a' });
		expect(refusal([annotation(), a, b])).toBe(
			'Annotation 2 (https://other.example/a): its replies go round in a loop and never reach ' +
				'an annotation on the paper.'
		);
	});

	it('bodies Podium cannot keep', () => {
		const at = 'Annotation 1 (https://other.example/anno/1): ';
		expect(refusal(annotation({ body: 'https://blog.example/post' }))).toBe(
			at +
				'its body is a link to another resource (https://blog.example/post); Podium imports ' +
				'text bodies.'
		);
		expect(
			refusal(annotation({ body: { id: 'https://blog.example/post', format: 'text/html' } }))
		).toBe(at + 'its body is a link to another resource; Podium imports text bodies.');
		expect(refusal(annotation({ body: { type: 'TextualBody' } }))).toBe(
			at + 'its body has no "value"; a TextualBody needs exactly one (§3.2.4).'
		);
		expect(refusal(annotation({ body: { type: 'TextualBody', value: ['a', 'b'] } }))).toBe(
			at + 'its TextualBody must have exactly one text "value" (§3.2.4).'
		);
		expect(refusal(annotation({ bodyValue: 'also' }))).toBe(
			at + 'it has both "body" and "bodyValue", and the model allows only one (§3.2.5).'
		);
		expect(
			refusal(
				annotation({ body: { type: 'TextualBody', value: '{}', format: 'application/json' } })
			)
		).toBe(
			at +
				'its body is in the format "application/json"; Podium imports text/plain, ' +
				'text/markdown and text/html.'
		);
		expect(refusal(annotation({ body: [] }))).toBe(
			at + 'it has no comment; Podium annotations and replies need some text.'
		);
		expect(
			refusal(annotation({ body: { type: 'TextualBody', value: 'x'.repeat(MAX_BODY_LENGTH + 1) } }))
		).toBe(at + 'its comment has 10,001 characters; Podium allows at most 10,000.');
		expect(
			importedOne({ body: { type: 'TextualBody', value: 'x'.repeat(MAX_BODY_LENGTH) } }).body
		).toHaveLength(MAX_BODY_LENGTH);
	});

	it('tags Podium cannot keep', () => {
		const at = 'Annotation 1 (https://other.example/anno/1): ';
		const withTags = (...tags: string[]) =>
			annotation({
				body: [
					{ type: 'TextualBody', value: 'Comment' },
					...tags.map((value) => ({ type: 'TextualBody', value, purpose: 'tagging' }))
				]
			});
		expect(refusal(withTags('???'))).toBe(at + 'its tag "???" has no letters or digits.');
		expect(refusal(withTags('a'.repeat(31)))).toBe(
			at + `its tag "${'a'.repeat(31)}" is longer than 30 characters.`
		);
		expect(refusal(withTags('1', '2', '3', '4', '5', '6', '7', '8', '9'))).toBe(
			at + 'it has 9 tags; Podium allows at most 8.'
		);
		expect(imported(withTags('Same', 'same', ' SAME '))[0].tags).toEqual(['same']);
	});

	it('more annotations than Podium imports at once', () => {
		const many = Array.from({ length: MAX_IMPORT_ANNOTATIONS + 1 }, (_, i) =>
			annotation({ id: `https://other.example/anno/${i}` })
		);
		expect(refusal(many)).toBe('The file holds 5,001 annotations; import at most 5,000 at once.');
		expect(imported(many.slice(0, MAX_IMPORT_ANNOTATIONS))).toHaveLength(MAX_IMPORT_ANNOTATIONS);
	});
});
