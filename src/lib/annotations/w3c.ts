/**
 * Podium annotations to and from a W3C Web Annotation `AnnotationCollection` in JSON-LD
 * (https://www.w3.org/TR/annotation-model/, "the model" below; § numbers are its sections).
 * Pure: no DOM, no database.
 *
 * Export: one AnnotationCollection with its single AnnotationPage embedded (`first`). The
 * `@context` is given once, first, at the top of the document: an embedded page SHOULD NOT repeat
 * it (§5.2), and the embedded annotations inherit it as in the model's own example of an
 * embedded page (§5.2, "Annotation Collection with Embedded Page"). An empty collection has no
 * `first` page, as a page MUST list 1 or more annotations (§5.2) and `first` is only required
 * when `total` > 0 (§5.1). Each annotation:
 * - `motivation` "commenting", or "replying" for a reply, whose `target` is the IRI of the
 *   annotation replied to (§3.3.5);
 * - `body`: a TextualBody with the Markdown comment (`format` text/markdown, `purpose` the
 *   motivation) and one TextualBody with `purpose` "tagging" per tag (§3.2.4, §3.3.5);
 * - `created` and `modified` as xsd:dateTime in UTC with "Z" (§3.3.1), `creator` a Person with a
 *   `name` when the author is known (§3.3.2);
 * - a text target is a SpecificResource on the PDF with two equivalent selectors, a
 *   TextQuoteSelector and a TextPositionSelector (§4.2, as Hypothesis writes them); positions
 *   count Unicode code points of the paper's document text (§4.2.4: "in terms of unicode code
 *   points ... not in terms of code units"), so the page stays derivable from the position;
 * - a region target is a SpecificResource with a FragmentSelector conforming to RFC 3778 (PDF
 *   Open Parameters): `page=<n>&viewrect=<left>,<top>,<width>,<height>` in points from the
 *   page's top-left corner, as a PageRect.
 *
 * Import accepts what the model allows: a collection (page embedded as `first`, or `items` on the
 * collection itself), a page, one annotation, an array of annotations (each with its own
 * `@context`), or a JSON-LD `@graph`; single values or arrays for body, target, selector,
 * motivation, purpose; `id`/`@id` and `type`/`@type`; `bodyValue`; a Choice of bodies (its first
 * item, the default, §3.2.7). It imports everything or nothing: the first problem is reported
 * with the annotation's number and id.
 */
import { PAGE_SEPARATOR, pageAt } from '$lib/papers/page-text';
import { anchorText, describeText } from './anchoring';
import { targetSchema } from './schemas';
import type { AnnotationTarget, PageRect, TextQuoteSelector } from './types';

/** The Web Annotation JSON-LD context (§3.1, §5.1). */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** RFC 3778, application/pdf, whose fragments are the PDF Open Parameters (§4.2.1). */
export const PDF_FRAGMENT_SPEC = 'http://tools.ietf.org/rfc/rfc3778';
export const MAX_IMPORT_ANNOTATIONS = 5000;
export const MAX_BODY_LENGTH = 10_000;
/** Podium's limits on tags (as in ./schemas.ts). */
export const MAX_TAGS = 8;
export const MAX_TAG_LENGTH = 30;
/** Podium keeps at most this much context around a quote (as in ./schemas.ts). */
const MAX_CONTEXT = 64;
/** Podium quotes are at most this long (as in ./schemas.ts). */
const MAX_QUOTE = 5000;

export const NOT_W3C_MESSAGE = 'This file is not a W3C annotation collection.';

/**
 * At most this many `{` and `[` in a file to import. JSON.parse runs on the server's main
 * thread and its time grows with the objects and lists it builds (a 20 MB file of nested or
 * empty ones blocks every other request for seconds); 5,000 annotations need far fewer, even
 * counting the braces in their Markdown and math.
 */
export const MAX_IMPORT_BRACKETS = 500_000;

export const TOO_MANY_BRACKETS_MESSAGE = `This file holds more objects and lists than an export of ${MAX_IMPORT_ANNOTATIONS.toLocaleString('en')} annotations can.`;

/** Whether `text` has more `{` and `[` than `limit`, inside strings or not (cheap, no parse). */
export function tooManyBrackets(text: string, limit = MAX_IMPORT_BRACKETS): boolean {
	let count = 0;
	for (const bracket of ['{', '[']) {
		for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
			if (++count > limit) return true;
		}
	}
	return false;
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportItem {
	/** Absolute IRI of the annotation (e.g. https://host/courses/c/papers/p#annotation-<id>). */
	iri: string;
	/** For replies: the IRI of the annotation replied to. */
	parentIri: string | null;
	/** Null when deleted/unknown. */
	authorName: string | null;
	/** Null for replies. */
	target: AnnotationTarget | null;
	/** Markdown. */
	body: string;
	tags: string[];
	/** ISO 8601. */
	createdAt: string;
	/** ISO 8601. */
	modifiedAt: string;
}

/**
 * The annotations as a W3C AnnotationCollection (JSON-LD, ready for JSON.stringify).
 *
 * `documentText` is the paper's document text (see $lib/papers/page-text.ts). Give it: the
 * model counts TextPositionSelector offsets in Unicode code points, Podium in UTF-16 code units,
 * and only the text tells them apart (astral characters such as math italic 𝑥 count 1 and 2).
 * Without it positions are written as code units, which is the same wherever no astral
 * character precedes them; the importer accepts both.
 *
 * Throws a RangeError for input that cannot make a valid collection (an IRI that is not
 * absolute, a date that is not a date, an annotation with neither target nor parent).
 */
export function toAnnotationCollection(input: {
	collectionIri: string;
	/** IRI of the PDF. */
	paperIri: string;
	paperTitle: string;
	items: ExportItem[];
	documentText?: string;
}): Record<string, unknown> {
	const collectionIri = checkIri(input.collectionIri, 'collection');
	const paperIri = checkIri(input.paperIri, 'paper');
	const index = input.documentText === undefined ? null : new TextIndex(input.documentText);
	const seen = new Set<string>();
	const annotations = input.items.map((item) => {
		const json = annotationJson(item, paperIri, index);
		if (seen.has(item.iri)) throw new RangeError(`Two annotations have the IRI ${item.iri}`);
		seen.add(item.iri);
		return json;
	});

	const collection: Record<string, unknown> = {
		'@context': ANNO_CONTEXT,
		id: collectionIri,
		type: 'AnnotationCollection',
		label: `Annotations on ${input.paperTitle}`,
		total: annotations.length
	};
	if (annotations.length > 0) {
		const pageIri = collectionIri.includes('#')
			? `${collectionIri}-page-1`
			: `${collectionIri}#page-1`;
		collection.first = {
			id: pageIri,
			type: 'AnnotationPage',
			partOf: collectionIri,
			startIndex: 0,
			items: annotations
		};
		collection.last = pageIri;
	}
	return collection;
}

function annotationJson(
	item: ExportItem,
	paperIri: string,
	index: TextIndex | null
): Record<string, unknown> {
	const iri = checkIri(item.iri, 'annotation');
	const motivation = item.parentIri === null ? 'commenting' : 'replying';
	const json: Record<string, unknown> = {
		id: iri,
		type: 'Annotation',
		motivation,
		created: xsdDateTime(item.createdAt),
		modified: xsdDateTime(item.modifiedAt)
	};
	if (item.authorName) json.creator = { type: 'Person', name: item.authorName };
	json.body = [
		{ type: 'TextualBody', value: item.body, format: 'text/markdown', purpose: motivation },
		...item.tags.map((tag) => ({ type: 'TextualBody', value: tag, purpose: 'tagging' }))
	];
	if (item.parentIri !== null) {
		json.target = checkIri(item.parentIri, 'parent annotation');
	} else if (item.target) {
		json.target = targetJson(item.target, paperIri, index);
	} else {
		throw new RangeError(`Annotation ${item.iri} has neither a target nor a parent`);
	}
	return json;
}

function targetJson(
	target: AnnotationTarget,
	paperIri: string,
	index: TextIndex | null
): Record<string, unknown> {
	if (target.kind === 'region') {
		const { x, y, width, height } = target.rect;
		return {
			type: 'SpecificResource',
			source: paperIri,
			selector: {
				type: 'FragmentSelector',
				conformsTo: PDF_FRAGMENT_SPEC,
				value: `page=${target.page}&viewrect=${[x, y, width, height].map(formatNumber).join(',')}`
			}
		};
	}
	const { exact, prefix, suffix } = target.quote;
	const { start, end } = target.position;
	return {
		type: 'SpecificResource',
		source: paperIri,
		selector: [
			{ type: 'TextQuoteSelector', exact, prefix, suffix },
			{
				type: 'TextPositionSelector',
				start: index ? index.toCodePoint(start) : start,
				end: index ? index.toCodePoint(end) : end
			}
		]
	};
}

/** A number for a PDF Open Parameter: at most 3 decimals, never in exponent notation. */
function formatNumber(n: number): string {
	if (!Number.isFinite(n)) throw new RangeError(`Invalid coordinate ${n}`);
	const rounded = Math.round(n * 1000) / 1000;
	return String(Object.is(rounded, -0) ? 0 : rounded);
}

function xsdDateTime(value: string): string {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date ${value}`);
	// toISOString: YYYY-MM-DDTHH:mm:ss.sssZ, an xsd:dateTime in UTC expressed as "Z" (§3.3.1).
	return date.toISOString();
}

function checkIri(value: string, what: string): string {
	if (!isAbsoluteIri(value)) throw new RangeError(`The ${what} IRI ${value} is not absolute`);
	return value;
}

/** An absolute IRI: a scheme, a colon, and no whitespace (RFC 3987). */
export function isAbsoluteIri(value: unknown): value is string {
	return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/u.test(value);
}

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportItem {
	/** The annotation's id from the file. */
	key: string;
	/** For replies (target is another annotation in the file). */
	parentKey: string | null;
	target: AnnotationTarget | null;
	body: string;
	tags: string[];
}

export type ImportResult = { ok: true; items: ImportItem[] } | { ok: false; message: string };

/** The paper that annotations are imported onto: document text, page starts and page sizes. */
export interface ImportDocument {
	text: string;
	pageStarts: number[];
	pageSizes: { width: number; height: number }[];
}

/**
 * Reads a W3C annotation file (already parsed from JSON) onto a paper: all of its annotations,
 * or the first problem found.
 *
 * Text targets: the TextPositionSelector is used when the document text there equals the quote
 * (counted in code points as the model says, or in UTF-16 code units as some tools do);
 * otherwise the quote is anchored in the document text (anchorText); a quote that cannot be
 * found is kept as written, an orphan. Region targets must lie on a page of the paper.
 */
export function fromAnnotationCollection(json: unknown, doc: ImportDocument): ImportResult {
	try {
		const nodes = annotationNodes(json);
		if (nodes.length > MAX_IMPORT_ANNOTATIONS) {
			fail(
				`The file holds ${nodes.length.toLocaleString('en')} annotations; import at most ` +
					`${MAX_IMPORT_ANNOTATIONS.toLocaleString('en')} at once.`
			);
		}
		return { ok: true, items: importAnnotations(nodes, doc) };
	} catch (error) {
		if (error instanceof ImportError) return { ok: false, message: error.message };
		throw error;
	}
}

class ImportError extends Error {}

function fail(message: string): never {
	throw new ImportError(message);
}

type Json = Record<string, unknown>;
type Problem = (reason: string) => never;

const OA = 'http://www.w3.org/ns/oa#';
const CONTEXTS = new Set([ANNO_CONTEXT, 'https://www.w3.org/ns/anno.jsonld']);
const PDF_FRAGMENT_SPECS = new Set([
	PDF_FRAGMENT_SPEC,
	'https://tools.ietf.org/rfc/rfc3778',
	'http://tools.ietf.org/html/rfc3778',
	'https://tools.ietf.org/html/rfc3778',
	'https://www.rfc-editor.org/rfc/rfc3778'
]);
/** Selectors of the model that do not apply to the text of a PDF; skipped as alternatives. */
const INAPPLICABLE_SELECTORS = new Set([
	'CssSelector',
	'XPathSelector',
	'RangeSelector',
	'DataPositionSelector',
	'SvgSelector'
]);
/** Selectors Podium reads, the model's others, and Hypothesis' PageSelector. */
const KNOWN_SELECTORS = new Set([
	'TextQuoteSelector',
	'TextPositionSelector',
	'FragmentSelector',
	'PageSelector',
	...INAPPLICABLE_SELECTORS
]);
/** Formats of a comment that are Markdown or may stand in Markdown as they are. */
const TEXT_FORMATS = new Set(['text/plain', 'text/markdown', 'text/x-markdown', 'text/html']);

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

/** A JSON-LD term without the oa: prefix or namespace ("oa:commenting" -> "commenting"). */
function term(value: string): string {
	if (value.startsWith(OA)) return value.slice(OA.length);
	if (value.startsWith('oa:')) return value.slice(3);
	return value;
}

function typesOf(node: Json): string[] {
	return asArray(node.type ?? node['@type'])
		.filter((t): t is string => typeof t === 'string')
		.map(term);
}

function hasType(node: unknown, name: string): node is Json {
	return isObject(node) && typesOf(node).includes(name);
}

/** The one string value of a property (a single-element array or a JSON-LD value object too). */
function single(value: unknown): string | undefined {
	const list = asArray(value);
	if (list.length !== 1) return undefined;
	const v = list[0];
	if (typeof v === 'string') return v;
	if (isObject(v) && typeof v['@value'] === 'string') return v['@value'];
	return undefined;
}

function idOf(node: Json): string | undefined {
	return single(node.id ?? node['@id']);
}

/** Terms of a property that names vocabulary instances (motivation, purpose). */
function terms(value: unknown): string[] {
	return asArray(value)
		.map((v) => (typeof v === 'string' ? v : isObject(v) ? idOf(v) : undefined))
		.filter((v): v is string => typeof v === 'string')
		.map(term);
}

function hasAnnoContext(node: Json): boolean {
	return asArray(node['@context']).some((c) => typeof c === 'string' && CONTEXTS.has(c));
}

/** The annotation objects of the file, in order. */
function annotationNodes(json: unknown): Json[] {
	if (Array.isArray(json)) {
		return json.map((node, i) => {
			if (!hasType(node, 'Annotation') || !hasAnnoContext(node)) {
				if (i === 0) fail(NOT_W3C_MESSAGE);
				fail(
					`Item ${i + 1} of the list is not a W3C annotation (it needs "@context": ` +
						`"${ANNO_CONTEXT}" and "type": "Annotation").`
				);
			}
			return node;
		});
	}
	if (!isObject(json) || !hasAnnoContext(json)) fail(NOT_W3C_MESSAGE);

	let items: unknown[];
	let what = 'list';
	if (json['@graph'] !== undefined) {
		what = 'graph';
		items = asArray(json['@graph']);
	} else if (hasType(json, 'AnnotationCollection')) {
		what = 'collection';
		items = collectionItems(json);
	} else if (hasType(json, 'AnnotationPage')) {
		what = 'page';
		items = pageItems(json);
	} else if (hasType(json, 'Annotation')) {
		items = [json];
	} else {
		fail(NOT_W3C_MESSAGE);
	}
	return items.map((node, i) => {
		if (typeof node === 'string') {
			fail(
				`Annotation ${i + 1} of the ${what} is only a link (${node}); the file must contain ` +
					'the annotations themselves.'
			);
		}
		if (!hasType(node, 'Annotation')) {
			fail(`Item ${i + 1} of the ${what} is not an annotation (it needs "type": "Annotation").`);
		}
		return node;
	});
}

function collectionItems(collection: Json): unknown[] {
	let items: unknown[];
	if (collection.first !== undefined) {
		const pages = asArray(collection.first);
		if (pages.length !== 1) fail('The collection must have exactly one first page.');
		const first = pages[0];
		if (typeof first === 'string') {
			fail(
				`The collection only links to its first page (${first}); the file must contain ` +
					'the annotations themselves.'
			);
		}
		if (!hasType(first, 'AnnotationPage')) {
			fail('The first page of the collection is not an AnnotationPage.');
		}
		items = pageItems(first);
	} else {
		items = asArray(collection.items);
	}
	if (collection.total !== undefined) {
		const total = asArray(collection.total);
		if (total.length !== 1 || !isNonNegativeInteger(total[0])) {
			fail('The collection\'s "total" must be a whole number.');
		}
		if (total[0] !== items.length) {
			fail(
				`The collection says it holds ${total[0]} annotations but the file contains ` +
					`${items.length}; export all of them into one file.`
			);
		}
	}
	return items;
}

function pageItems(page: Json): unknown[] {
	if (page.next !== undefined) {
		fail(
			'The annotations continue on another page of the collection; export all of them into ' +
				'one file.'
		);
	}
	return asArray(page.items);
}

function isNonNegativeInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function importAnnotations(nodes: Json[], doc: ImportDocument): ImportItem[] {
	const keys: string[] = [];
	const seen = new Set<string>();
	nodes.forEach((node, i) => {
		const id = idOf(node);
		if (id === undefined) fail(`Annotation ${i + 1} has no "id"; every W3C annotation needs one.`);
		if (!isAbsoluteIri(id)) fail(`Annotation ${i + 1} has the id "${id}", which is not an IRI.`);
		if (seen.has(id)) fail(`Annotation ${i + 1} has the id ${id}, like an annotation before it.`);
		seen.add(id);
		keys.push(id);
	});

	const paper = new Paper(doc);
	const items = nodes.map((node, i) => {
		const problem: Problem = (reason) => fail(`Annotation ${i + 1} (${keys[i]}): ${reason}`);
		return importAnnotation(node, keys[i], seen, paper, problem);
	});

	// Every chain of replies must end at an annotation on the paper.
	const byKey = new Map(items.map((item) => [item.key, item]));
	items.forEach((item, i) => {
		const visited = new Set<string>();
		for (let at: ImportItem | undefined = item; at?.parentKey; at = byKey.get(at.parentKey)) {
			if (visited.has(at.key)) {
				fail(
					`Annotation ${i + 1} (${item.key}): its replies go round in a loop and never ` +
						'reach an annotation on the paper.'
				);
			}
			visited.add(at.key);
		}
	});
	return items;
}

function importAnnotation(
	node: Json,
	key: string,
	keys: Set<string>,
	paper: Paper,
	problem: Problem
): ImportItem {
	const motivations = terms(node.motivation);
	const { body, tags } = readBodies(node, motivations, problem);

	const targets = asArray(node.target);
	if (targets.length === 0) problem('it has no target; every W3C annotation needs one.');
	if (targets.length > 1) {
		problem(`it has ${targets.length} targets; a Podium annotation has exactly one.`);
	}
	const replying = motivations.includes('replying');
	const read = readTarget(targets[0], { key, keys, replying, paper, problem });
	if ('parentKey' in read) return { key, parentKey: read.parentKey, target: null, body, tags };

	const checked = targetSchema.safeParse(read.target);
	if (!checked.success) {
		problem(`its target cannot be used (${checked.error.issues[0]?.message ?? 'invalid'}).`);
	}
	return { key, parentKey: null, target: read.target, body, tags };
}

// ---- Bodies

function readBodies(
	node: Json,
	motivations: string[],
	problem: Problem
): { body: string; tags: string[] } {
	const comments: string[] = [];
	const rawTags: string[] = [];
	if (node.bodyValue !== undefined) {
		if (node.body !== undefined) {
			problem('it has both "body" and "bodyValue", and the model allows only one (§3.2.5).');
		}
		const value = single(node.bodyValue);
		if (value === undefined) problem('its "bodyValue" must be a single text (§3.2.5).');
		comments.push(value);
	}
	// Without a purpose of its own, a body serves the annotation's motivation (§3.3.5).
	const onlyTagging = motivations.length === 1 && motivations[0] === 'tagging';
	for (let body of asArray(node.body)) {
		if (hasType(body, 'Choice')) {
			// The first item is the default choice (§3.2.7).
			const options = asArray(body.items);
			if (options.length === 0) problem('its Choice of bodies offers nothing to choose.');
			body = options[0];
		}
		if (typeof body === 'string') {
			problem(`its body is a link to another resource (${body}); Podium imports text bodies.`);
		}
		if (!isObject(body)) problem('its body is neither text nor a W3C body.');
		if (body.value === undefined) {
			if (idOf(body) !== undefined || body.source !== undefined) {
				problem('its body is a link to another resource; Podium imports text bodies.');
			}
			problem('its body has no "value"; a TextualBody needs exactly one (§3.2.4).');
		}
		const value = single(body.value);
		if (value === undefined) {
			problem('its TextualBody must have exactly one text "value" (§3.2.4).');
		}
		const purposes = terms(body.purpose);
		const tagging = purposes.length > 0 ? purposes.includes('tagging') : onlyTagging;
		if (tagging) {
			rawTags.push(value);
			continue;
		}
		for (const format of asArray(body.format)) {
			if (typeof format !== 'string' || !TEXT_FORMATS.has(format.toLowerCase())) {
				problem(
					`its body is in the format ${JSON.stringify(format)}; Podium imports text/plain, ` +
						'text/markdown and text/html.'
				);
			}
		}
		comments.push(value);
	}

	const body = comments
		.map((c) => c.trim())
		.filter((c) => c !== '')
		.join('\n\n');
	if (body === '') problem('it has no comment; Podium annotations and replies need some text.');
	if (body.length > MAX_BODY_LENGTH) {
		problem(
			`its comment has ${body.length.toLocaleString('en')} characters; Podium allows at ` +
				`most ${MAX_BODY_LENGTH.toLocaleString('en')}.`
		);
	}
	return { body, tags: normalizeTags(rawTags, problem) };
}

/** Tags as Podium writes them (see ./schemas.ts): lower-case words joined by dashes. */
function normalizeTags(raw: string[], problem: Problem): string[] {
	const tags: string[] = [];
	for (const value of raw) {
		const tag = value
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}]+/gu, '-')
			.replace(/^-|-$/g, '');
		if (tag === '') problem(`its tag ${JSON.stringify(value)} has no letters or digits.`);
		if (tag.length > MAX_TAG_LENGTH) {
			problem(`its tag "${tag}" is longer than ${MAX_TAG_LENGTH} characters.`);
		}
		if (!tags.includes(tag)) tags.push(tag);
	}
	if (tags.length > MAX_TAGS)
		problem(`it has ${tags.length} tags; Podium allows at most ${MAX_TAGS}.`);
	return tags;
}

// ---- Targets

interface TargetContext {
	key: string;
	keys: Set<string>;
	replying: boolean;
	paper: Paper;
	problem: Problem;
}

type ReadTarget = { parentKey: string } | { target: AnnotationTarget };

function readTarget(target: unknown, context: TargetContext): ReadTarget {
	const problem: Problem = context.problem;
	if (typeof target === 'string') return readIriTarget(target, context);
	if (!isObject(target)) problem('its target is neither an IRI nor a W3C target.');

	if (target.source === undefined) {
		// An External Web Resource: its IRI is its id (§3.2.1).
		const id = idOf(target);
		if (id === undefined) problem('its target has neither a "source" nor an "id".');
		if (target.selector !== undefined) {
			problem('its target has selectors but no "source" (§4: exactly one is required).');
		}
		return readIriTarget(id, context);
	}

	// A Specific Resource: exactly 1 source (§4).
	const sources = asArray(target.source);
	const source =
		sources.length === 1
			? typeof sources[0] === 'string'
				? sources[0]
				: isObject(sources[0])
					? idOf(sources[0])
					: undefined
			: undefined;
	if (source === undefined) problem('its target must have exactly one "source" IRI (§4).');
	if (target.selector === undefined) return readIriTarget(source, context);
	if (context.keys.has(source)) {
		problem('it selects part of another annotation; replies in Podium answer a whole annotation.');
	}
	return { target: readSelectors(asArray(target.selector), context) };
}

/** A target given by IRI: another annotation (a reply), or a PDF with a fragment. */
function readIriTarget(iri: string, context: TargetContext): ReadTarget {
	const { key, keys, replying, paper } = context;
	const problem: Problem = context.problem;
	if (iri === key) problem('it replies to itself.');
	if (keys.has(iri)) return { parentKey: iri };
	const hash = iri.indexOf('#');
	const fragment = hash === -1 ? null : parsePdfFragment(iri.slice(hash + 1));
	if (fragment && !('error' in fragment)) return { target: regionOf(fragment, paper, problem) };
	if (replying) problem(`it replies to ${iri}, which is not an annotation in this file.`);
	problem(`its target ${iri} selects neither a passage nor a region; Podium annotations need one.`);
}

/** What the selectors of one Specific Resource say, before it is placed on the paper. */
interface Selection {
	quote?: { exact: string; prefix: string; suffix: string };
	/** Offsets as written; `page` set when they count within that page (a refinement). */
	position?: { start: number; end: number; page?: number };
	/** A page named by a PDF fragment or Hypothesis' PageSelector. */
	page?: number;
	fragment?: PdfFragment;
}

function readSelectors(selectors: unknown[], context: TargetContext): AnnotationTarget {
	const { paper } = context;
	const problem: Problem = context.problem;
	if (selectors.length === 0) problem('its target has an empty list of selectors.');
	const found: Selection = {};
	// Multiple selectors describe the same segment (§4.2); the first usable one of a kind wins.
	for (const selector of selectors) readSelector(selector, found, context, null);

	if (found.quote) return paper.textTarget(found.quote, found.position, found.page, problem);
	if (found.position) return paper.positionTarget(found.position, problem);
	if (found.fragment) return regionOf(found.fragment, paper, problem);
	problem(
		'none of its selectors applies to a PDF (Podium reads TextQuoteSelector, ' +
			'TextPositionSelector and FragmentSelector with PDF parameters).'
	);
}

function readSelector(
	selector: unknown,
	found: Selection,
	context: TargetContext,
	withinPage: number | null
): void {
	const { paper } = context;
	const problem: Problem = context.problem;
	// A selector given only by IRI cannot be read from the file: one alternative fewer.
	if (typeof selector === 'string') return;
	if (!isObject(selector)) problem('one of its selectors is not an object.');
	const types = typesOf(selector);
	if (types.length !== 1) problem('each selector must have exactly one type (§4.2).');
	const type = types[0];

	if (!KNOWN_SELECTORS.has(type)) {
		problem(`it uses the selector type "${type}", which Podium does not know.`);
	}
	if (INAPPLICABLE_SELECTORS.has(type)) return;
	const refinements = asArray(selector.refinedBy);
	if (type === 'PageSelector') {
		// Hypothesis' extension for PDFs: the 0-based page index, a hint for anchoring.
		const index = asArray(selector.index);
		if (index.length === 1 && isNonNegativeInteger(index[0]) && index[0] < paper.pageCount) {
			found.page ??= index[0] + 1;
		}
		return;
	}
	if (type !== 'FragmentSelector' && refinements.length > 0) {
		problem(`its ${type} is refined by another selector, which Podium cannot apply.`);
	}

	if (type === 'TextQuoteSelector') {
		const exact = single(selector.exact);
		if (exact === undefined)
			problem('its TextQuoteSelector must have exactly one "exact" (§4.2.4).');
		if (exact === '') problem('its TextQuoteSelector quotes no text.');
		const prefix = optionalText(selector.prefix, 'prefix', problem);
		const suffix = optionalText(selector.suffix, 'suffix', problem);
		found.quote ??= { exact, prefix, suffix };
		if (withinPage !== null) found.page ??= withinPage;
		return;
	}
	if (type === 'TextPositionSelector') {
		const start = asArray(selector.start);
		const end = asArray(selector.end);
		if (
			start.length !== 1 ||
			end.length !== 1 ||
			!isNonNegativeInteger(start[0]) ||
			!isNonNegativeInteger(end[0])
		) {
			problem(
				'its TextPositionSelector must have one "start" and one "end", each a whole number ' +
					'of 0 or more (§4.2.5).'
			);
		}
		if (end[0] <= start[0]) {
			problem(`its TextPositionSelector (${start[0]}–${end[0]}) selects no text.`);
		}
		found.position ??= {
			start: start[0],
			end: end[0],
			...(withinPage === null ? {} : { page: withinPage })
		};
		return;
	}
	if (type === 'FragmentSelector') {
		const value = single(selector.value);
		if (value === undefined)
			problem('its FragmentSelector must have exactly one "value" (§4.2.1).');
		const conformsTo = asArray(selector.conformsTo);
		if (conformsTo.length > 1) {
			problem('its FragmentSelector must not conform to more than one specification (§4.2.1).');
		}
		const spec = conformsTo.length === 1 ? single(conformsTo) : undefined;
		const declaredPdf = spec !== undefined && PDF_FRAGMENT_SPECS.has(spec);
		// A fragment of another media type (an image, a video...) is not a place in a PDF.
		if (spec !== undefined && !declaredPdf) return;
		const fragment = parsePdfFragment(value);
		if ('error' in fragment) {
			if (declaredPdf) problem(`its FragmentSelector "${value}" ${fragment.error}`);
			return;
		}
		if (fragment.page > paper.pageCount) {
			problem(
				`its FragmentSelector names page ${fragment.page}, but the paper has ` +
					`${paper.pageCount} page${paper.pageCount === 1 ? '' : 's'}.`
			);
		}
		if (refinements.length > 0) {
			if (fragment.rect) {
				problem(
					'its FragmentSelector with a viewrect is refined further, which Podium cannot apply.'
				);
			}
			// Selectors within the page: positions count from the start of that page (§4.2.9).
			for (const refinement of refinements) {
				readSelector(refinement, found, context, fragment.page);
			}
			return;
		}
		found.page ??= fragment.page;
		if (fragment.rect || !found.fragment) found.fragment = fragment;
	}
}

function optionalText(value: unknown, name: string, problem: Problem): string {
	if (value === undefined) return '';
	const text = single(value);
	if (text === undefined) {
		problem(`its TextQuoteSelector must have at most one text "${name}" (§4.2.4).`);
	}
	return text;
}

/** PDF Open Parameters (RFC 3778) that designate a place: a page and maybe a rectangle. */
interface PdfFragment {
	page: number;
	rect?: PageRect;
}

/** Parameters that only change how a PDF viewer shows the document. */
const VIEW_PARAMETERS = new Set([
	'zoom',
	'view',
	'pagemode',
	'scrollbar',
	'toolbar',
	'statusbar',
	'messages',
	'navpanes'
]);

function parsePdfFragment(value: string): PdfFragment | { error: string } {
	let page: number | undefined;
	let rect: PageRect | undefined;
	for (const part of value.replace(/^#/, '').split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const name = (eq === -1 ? part : part.slice(0, eq)).toLowerCase();
		const arg = eq === -1 ? '' : decodeURIComponentSafe(part.slice(eq + 1));
		if (name === 'page') {
			if (!/^\d+$/.test(arg) || Number(arg) < 1) return { error: 'names no valid page.' };
			page = Number(arg);
		} else if (name === 'viewrect' || name === 'highlight') {
			const numbers = arg
				.split(',')
				.map((n) => (/^\s*-?\d*\.?\d+(e[+-]?\d+)?\s*$/i.test(n) ? Number(n) : NaN));
			if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n))) {
				return { error: `has a ${name} that is not four numbers.` };
			}
			// viewrect=left,top,width,height; highlight=left,right,top,bottom (RFC 3778, PDF Open
			// Parameters), both in points from the top-left corner of the page.
			const [a, b, c, d] = numbers;
			rect =
				name === 'viewrect'
					? { x: a, y: b, width: c, height: d }
					: { x: a, y: c, width: b - a, height: d - c };
		} else if (!VIEW_PARAMETERS.has(name)) {
			return { error: `uses the PDF parameter "${name}", which Podium cannot place.` };
		}
	}
	if (page === undefined) return { error: 'names no page.' };
	return rect ? { page, rect } : { page };
}

function decodeURIComponentSafe(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/** Tolerance, in points, for a region that ends on a page's edge after rounding. */
const EDGE = 0.01;

function regionOf(fragment: PdfFragment, paper: Paper, problem: Problem): AnnotationTarget {
	const { page } = fragment;
	const size = paper.pageSize(page);
	if (!size) {
		problem(
			`its region is on page ${page}, but the paper has ${paper.pageCount} ` +
				`page${paper.pageCount === 1 ? '' : 's'}.`
		);
	}
	// A page without a rectangle is the whole page.
	const rect = fragment.rect ?? { x: 0, y: 0, width: size.width, height: size.height };
	const { x, y, width, height } = rect;
	if (width <= 0 || height <= 0) problem(`its region on page ${page} has no area.`);
	if (x < 0 || y < 0 || x + width > size.width + EDGE || y + height > size.height + EDGE) {
		problem(
			`its region (${[x, y, width, height].map(formatNumber).join(', ')}) does not lie ` +
				`within page ${page} (${formatNumber(size.width)} × ${formatNumber(size.height)} points).`
		);
	}
	return { kind: 'region', page, rect: { x, y, width, height } };
}

/** The paper annotations are imported onto, with offsets in code points and code units. */
class Paper {
	private readonly index: TextIndex;

	constructor(private readonly doc: ImportDocument) {
		this.index = new TextIndex(doc.text);
	}

	get pageCount(): number {
		return this.doc.pageSizes.length;
	}

	pageSize(page: number): { width: number; height: number } | undefined {
		return Number.isInteger(page) && page >= 1 ? this.doc.pageSizes[page - 1] : undefined;
	}

	private get textPages(): number {
		return this.doc.pageStarts.length;
	}

	/** A text target from a position only: the text there is the quote. */
	positionTarget(
		position: { start: number; end: number; page?: number },
		problem: Problem
	): AnnotationTarget {
		const { text } = this.doc;
		const range = this.codePointRange(position);
		if (!range || range.end > text.length) {
			const length = this.index.codePointLength;
			problem(
				`its TextPositionSelector (${position.start}–${position.end}) lies outside the ` +
					(position.page === undefined
						? `paper's text (${length.toLocaleString('en')} characters).`
						: `text of page ${position.page}.`)
			);
		}
		return describeText(this.doc, range.start, range.end);
	}

	/** A text target from a quote, placed where the position says or where the quote is. */
	textTarget(
		quote: { exact: string; prefix: string; suffix: string },
		position: { start: number; end: number; page?: number } | undefined,
		pageHint: number | undefined,
		problem: Problem
	): AnnotationTarget {
		const { text, pageStarts } = this.doc;
		if (this.textPages === 0) problem('the paper has no text to place it on.');
		if (quote.exact.length > MAX_QUOTE) {
			problem(`its quote is longer than ${MAX_QUOTE.toLocaleString('en')} characters.`);
		}
		const counted = position ? this.codePointRange(position) : null;
		const asUnits = position ? this.codeUnitRange(position) : null;
		// 1. The position, counted as the model says (code points) or as some tools do (code units).
		for (const range of [counted, asUnits]) {
			if (range && text.slice(range.start, range.end) === quote.exact) {
				return describeText(this.doc, range.start, range.end);
			}
		}
		// 2. The quote, found again near where it was.
		const hint =
			counted ??
			(pageHint !== undefined && pageHint <= pageStarts.length
				? { start: pageStarts[pageHint - 1], end: pageStarts[pageHint - 1] + quote.exact.length }
				: { start: 0, end: quote.exact.length });
		const selector: TextQuoteSelector = {
			type: 'TextQuoteSelector',
			exact: quote.exact,
			prefix: quote.prefix.slice(-MAX_CONTEXT),
			suffix: quote.suffix.slice(0, MAX_CONTEXT)
		};
		// Never keep half of a surrogate pair at the outer edge of clipped context.
		if (/^[\uDC00-\uDFFF]/.test(selector.prefix)) selector.prefix = selector.prefix.slice(1);
		if (/[\uD800-\uDBFF]$/.test(selector.suffix)) selector.suffix = selector.suffix.slice(0, -1);
		const anchor = anchorText(this.doc, {
			kind: 'text',
			page: pageAt(pageStarts, hint.start),
			endPage: pageAt(pageStarts, Math.max(hint.start, hint.end - 1)),
			quote: selector,
			position: { type: 'TextPositionSelector', ...hint }
		});
		if (anchor && anchor.exact) return describeText(this.doc, anchor.start, anchor.end);
		// 3. Found approximately (the text differs a little): the quote as written, placed there.
		//    Not found: the target as written, an orphan.
		const at = anchor ?? hint;
		const page = pageAt(pageStarts, at.start);
		return {
			kind: 'text',
			page,
			endPage: Math.max(page, pageAt(pageStarts, Math.max(at.start, at.end - 1))),
			quote: selector,
			position: { type: 'TextPositionSelector', start: at.start, end: at.end }
		};
	}

	/** A position counted in code points, as UTF-16 offsets of the document text. */
	private codePointRange(position: {
		start: number;
		end: number;
		page?: number;
	}): { start: number; end: number } | null {
		let base = 0;
		let limit = Infinity;
		if (position.page !== undefined) {
			const page = this.pageRange(position.page);
			if (!page) return null;
			base = this.index.toCodePoint(page.start);
			limit = this.index.toCodePoint(page.end);
		}
		if (base + position.end > limit) return null;
		return {
			start: this.index.toCodeUnit(base + position.start),
			end: this.index.toCodeUnit(base + position.end)
		};
	}

	/** A position counted in UTF-16 code units. */
	private codeUnitRange(position: {
		start: number;
		end: number;
		page?: number;
	}): { start: number; end: number } | null {
		if (position.page === undefined) return { start: position.start, end: position.end };
		const page = this.pageRange(position.page);
		if (!page || page.start + position.end > page.end) return null;
		return { start: page.start + position.start, end: page.start + position.end };
	}

	/** Where a page's text is in the document text. */
	private pageRange(page: number): { start: number; end: number } | null {
		const { pageStarts, text } = this.doc;
		if (!Number.isInteger(page) || page < 1 || page > pageStarts.length) return null;
		const end = page < pageStarts.length ? pageStarts[page] - PAGE_SEPARATOR.length : text.length;
		return { start: pageStarts[page - 1], end };
	}
}

/**
 * Offsets in a text as UTF-16 code units (JavaScript) and as Unicode code points (the model,
 * §4.2.4): they differ by one for every astral character (a surrogate pair) before the offset.
 */
export class TextIndex {
	/** Code unit offsets of the astral characters, ascending. */
	private readonly pairs: number[] = [];

	constructor(readonly text: string) {
		for (let i = 0; i < text.length - 1; i++) {
			const c = text.charCodeAt(i);
			if (c >= 0xd800 && c <= 0xdbff) {
				const d = text.charCodeAt(i + 1);
				if (d >= 0xdc00 && d <= 0xdfff) {
					this.pairs.push(i);
					i++;
				}
			}
		}
	}

	get codePointLength(): number {
		return this.toCodePoint(this.text.length);
	}

	/** The code point offset of a code unit offset (inside a pair: the offset after the pair). */
	toCodePoint(unit: number): number {
		// Pairs that end at or before `unit` count one code point for two code units.
		let lo = 0;
		let hi = this.pairs.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.pairs[mid] + 2 <= unit) lo = mid + 1;
			else hi = mid;
		}
		return unit - lo;
	}

	/** The code unit offset of a code point offset. */
	toCodeUnit(point: number): number {
		// Pair k starts at code point pairs[k] - k; those before `point` add one code unit each.
		let lo = 0;
		let hi = this.pairs.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.pairs[mid] - mid < point) lo = mid + 1;
			else hi = mid;
		}
		return point + lo;
	}
}
