/**
 * Text folding for anchoring: a copy of the text with what PDF text extraction varies on taken
 * out, plus a map from every folded code unit back to the original offset it came from.
 *
 * Folding, one code point at a time:
 * - all whitespace goes (newlines vs spaces, double spaces, letter-spaced small caps such as
 *   "I NTRODUCTION" or "A B S T R A C T"), and so do control and format characters (soft hyphen
 *   U+00AD, zero-width spaces and joiners, BOM);
 * - NFKD compatibility decomposition (ligatures ﬁ ﬂ ﬀ ﬃ ﬄ become fi fl ff ffi ffl, math italic
 *   letters become plain ones, … becomes ...), then combining marks are dropped and letters are
 *   lowercased, so case and accents do not matter;
 * - curly single quotes and primes become ', curly double quotes become ", and hyphens, dashes
 *   and the minus sign become -;
 * - a hyphen that ends a line inside a word ("compu-\ntation": a letter, the hyphen, whitespace,
 *   a lowercase letter) goes, so hyphenated and unhyphenated extractions fold alike.
 */

export interface NormalizedText {
	/** The folded text. */
	text: string;
	/**
	 * toOriginal[i] is the offset in the original text of the character that folded code unit i
	 * came from; one more entry holds the original length. Non-decreasing.
	 */
	toOriginal: Int32Array;
}

const SINGLE_QUOTES = new Set([
	0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x2035, 0x02b9, 0x02bc, 0xff07
]);
const DOUBLE_QUOTES = new Set([0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x2036, 0x02ba, 0xff02]);
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212]);
const DROPPED = /[\s\p{M}\p{Cc}\p{Cf}]/u;
const LETTER = /\p{L}/u;
const LOWERCASE = /\p{Ll}/u;
const SPACE = /\s/u;

const foldCache = new Map<number, string>();

/** The folded form of one non-ASCII code point (possibly empty or several code units). */
function foldCodePoint(cp: number): string {
	let folded = foldCache.get(cp);
	if (folded !== undefined) return folded;
	folded = '';
	const decomposed = String.fromCodePoint(cp).normalize('NFKD').toLowerCase().normalize('NFKD');
	for (const ch of decomposed) {
		if (DROPPED.test(ch)) continue;
		const c = ch.codePointAt(0)!;
		if (SINGLE_QUOTES.has(c)) folded += "'";
		else if (DOUBLE_QUOTES.has(c)) folded += '"';
		else if (DASHES.has(c)) folded += '-';
		else folded += ch;
	}
	foldCache.set(cp, folded);
	return folded;
}

function isSpace(code: number): boolean {
	return code <= 32 || (code >= 0x80 && SPACE.test(String.fromCharCode(code)));
}

/** Whether the hyphen at `i` breaks a word at a line end: letter, hyphen, whitespace, lowercase. */
function isLineEndHyphen(input: string, i: number): boolean {
	if (i === 0) return false;
	const before = input.charCodeAt(i - 1);
	const isLetter =
		(before >= 97 && before <= 122) ||
		(before >= 65 && before <= 90) ||
		(before >= 0x80 && LETTER.test(input.charAt(i - 1)));
	if (!isLetter) return false;
	let j = i + 1;
	while (j < input.length && isSpace(input.charCodeAt(j))) j++;
	if (j === i + 1 || j === input.length) return false;
	const after = input.charCodeAt(j);
	return (after >= 97 && after <= 122) || (after >= 0x80 && LOWERCASE.test(input.charAt(j)));
}

function decode(units: Uint16Array, length: number): string {
	const CHUNK = 8192;
	let text = '';
	for (let i = 0; i < length; i += CHUNK) {
		const part = units.subarray(i, Math.min(length, i + CHUNK));
		text += String.fromCharCode.apply(null, part as unknown as number[]);
	}
	return text;
}

/** Folds `input` (see the module comment) and maps the result back to it. */
export function normalizeText(input: string): NormalizedText {
	const n = input.length;
	let units = new Uint16Array(n + 16);
	let map = new Int32Array(n + 17);
	let length = 0;
	const reserve = (count: number) => {
		if (length + count < units.length) return;
		const size = Math.max(units.length * 2, length + count + 16);
		const grownUnits = new Uint16Array(size);
		grownUnits.set(units.subarray(0, length));
		const grownMap = new Int32Array(size + 1);
		grownMap.set(map.subarray(0, length));
		units = grownUnits;
		map = grownMap;
	};

	for (let i = 0; i < n;) {
		let code = input.charCodeAt(i);
		if (code < 0x80) {
			if (code <= 32 || code === 127 || (code === 45 && isLineEndHyphen(input, i))) {
				i++;
				continue;
			}
			if (code >= 65 && code <= 90) code += 32;
			reserve(1);
			units[length] = code;
			map[length++] = i++;
			continue;
		}
		let width = 1;
		if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
			const low = input.charCodeAt(i + 1);
			if (low >= 0xdc00 && low <= 0xdfff) {
				code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
				width = 2;
			}
		}
		if ((code === 0x2010 || code === 0x2011) && isLineEndHyphen(input, i)) {
			i += width;
			continue;
		}
		const folded = foldCodePoint(code);
		reserve(folded.length);
		for (let k = 0; k < folded.length; k++) {
			units[length] = folded.charCodeAt(k);
			map[length++] = i;
		}
		i += width;
	}
	map[length] = n;
	return { text: decode(units, length), toOriginal: map.slice(0, length + 1) };
}

/** The folded form of a string, without the map. */
export function normalizeString(input: string): string {
	return normalizeText(input).text;
}

/** A quote selector folded in one piece (see normalizeQuote). */
export interface NormalizedQuote {
	prefix: string;
	exact: string;
	suffix: string;
	/** Characters of the exact quote before its first folded one (whitespace, a hyphen...). */
	lead: number;
	/** Characters of the exact quote after its last folded one. */
	trail: number;
}

/**
 * Folds prefix, exact and suffix as the one text they were cut from, so that what folding
 * decides from the surroundings (a line-end hyphen needs the next line) comes out as it does in
 * the document text.
 */
export function normalizeQuote(prefix: string, exact: string, suffix: string): NormalizedQuote {
	const all = normalizeText(prefix + exact + suffix);
	const quoteStart = prefix.length;
	const quoteEnd = quoteStart + exact.length;
	const from = normalizedOffset(all, quoteStart);
	const to = normalizedOffset(all, quoteEnd);
	const lead = (from < to ? all.toOriginal[from] : quoteEnd) - quoteStart;
	const trail = from < to ? quoteEnd - sourceEnd(all, prefix + exact, to - 1) : 0;
	return {
		prefix: all.text.slice(0, from),
		exact: all.text.slice(from, to),
		suffix: all.text.slice(to),
		lead,
		trail
	};
}

/** The original offset just after the source of folded code unit i. */
export function sourceEnd(norm: NormalizedText, original: string, i: number): number {
	const at = norm.toOriginal[i];
	const high = original.charCodeAt(at);
	const low = original.charCodeAt(at + 1);
	return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? at + 2 : at + 1;
}

/** The first folded offset whose source is at or after `offset` in the original text. */
export function normalizedOffset(norm: NormalizedText, offset: number): number {
	const map = norm.toOriginal;
	let lo = 0;
	let hi = map.length - 1;
	if (offset >= map[hi]) return hi;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (map[mid] >= offset) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/**
 * The original range that folded range [start, end) came from: from the first source character
 * to the end of the last (a whole ligature or surrogate pair even when the range covers part of
 * what it folded to). Then widened by up to `lead` and `trail` characters that folding dropped
 * (whitespace, a line-end hyphen), without reaching the sources of the folded neighbours.
 */
export function originalRange(
	norm: NormalizedText,
	original: string,
	start: number,
	end: number,
	lead = 0,
	trail = 0
): { start: number; end: number } {
	const map = norm.toOriginal;
	if (end <= start) {
		const at = map[start];
		return { start: at, end: at };
	}
	let from = map[start];
	let to = sourceEnd(norm, original, end - 1);
	if (lead > 0) {
		const before = start > 0 ? sourceEnd(norm, original, start - 1) : 0;
		from = Math.max(Math.min(before, from), from - lead);
	}
	if (trail > 0) to = Math.min(Math.max(map[end], to), to + trail);
	return { start: from, end: to };
}
