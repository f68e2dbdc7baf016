/**
 * Modest guesses at a paper's title, authors, year and venue, to prefill the form an
 * instructor confirms after an upload. Every guess may be null; none is authoritative.
 */

export interface PaperMetadata {
	title: string | null;
	authors: string | null;
	year: number | null;
	venue: string | null;
}

/** A text item of page 1: its string, font size in points, position and orientation. */
export interface FirstPageItem {
	str: string;
	size: number;
	x: number;
	y: number;
	rotated: boolean;
}

export interface RawPdfMetadata {
	/** Strings of the info dictionary (pdf.js decodes them). */
	info: { Title?: string; Author?: string; CreationDate?: string };
	/** XMP fields: dc:title, dc:creator (a list), xmp:CreateDate. */
	xmp: { title?: string | string[]; creator?: string | string[]; createDate?: string | string[] };
	firstPage: FirstPageItem[];
	firstPageText: string;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

const first = (value: string | string[] | undefined): string | undefined =>
	Array.isArray(value) ? value.find((v) => v.trim()) : value;

const JUNK_TITLE = [
	/^microsoft (word|powerpoint|excel)\b/i,
	/^(untitled|no title|title|document|paper|slides?|presentation|draft|main|article)\s*\d*$/i,
	/\.(docx?|pdf|tex|dvi|ps|eps|rtf|odt|pptx?|key|pages|txt|html?)$/i,
	/^[^\s]+\.[a-z][a-z0-9]{1,4}$/i, // a bare file name
	/^([a-z]:\\|\/|~\/)/i, // a path
	/^(arxiv:)?\d{4}\.\d{4,5}(v\d+)?$/i // an arXiv identifier
];

/** A title as a person would type it, or null for empty or machine-made values. */
export function cleanTitle(value: string | undefined | null): string | null {
	if (!value) return null;
	const text = collapse(value).replace(/^["'“‘]+|["'”’]+$/g, '');
	if (text.length < 3 || text.length > 300) return null;
	if (!/\p{L}{2}/u.test(text)) return null;
	if (JUNK_TITLE.some((pattern) => pattern.test(text))) return null;
	return text;
}

const JUNK_AUTHOR = /^(unknown|user|owner|admin(istrator)?|author|anonymous|root|guest|default)$/i;

export function cleanAuthors(value: string | string[] | undefined | null): string | null {
	if (!value) return null;
	const parts = (Array.isArray(value) ? value : [value]).map(collapse).filter(Boolean);
	const text = collapse(parts.join(', '));
	if (!text || text.length > 500 || !/\p{L}{2}/u.test(text)) return null;
	if (JUNK_AUTHOR.test(text) || /^\S+@\S+$/.test(text)) return null;
	return text;
}

/** The largest-font lines near the top of page 1, when they clearly stand out from the body. */
export function titleFromLayout(items: FirstPageItem[]): string | null {
	const upright = items.filter((item) => !item.rotated && item.size > 0 && /\p{L}/u.test(item.str));
	if (!upright.length) return null;

	// Body size: the size that carries the most characters.
	const chars = new Map<number, number>();
	for (const item of upright) {
		const size = Math.round(item.size * 2) / 2;
		chars.set(size, (chars.get(size) ?? 0) + item.str.length);
	}
	const bodySize = [...chars.entries()].sort((a, b) => b[1] - a[1])[0][0];
	const maxSize = Math.max(...upright.map((item) => item.size));
	if (maxSize < bodySize * 1.15) return null;

	// The first run of largest-font lines, in reading order, that are close to each other.
	const big = upright.filter((item) => item.size >= maxSize * 0.95);
	const parts: string[] = [];
	let lastY: number | null = null;
	for (const item of big) {
		if (lastY !== null && Math.abs(lastY - item.y) > maxSize * 2.5) break;
		parts.push(item.str);
		lastY = item.y;
	}
	return cleanTitle(parts.join(' '));
}

const MIN_YEAR = 1950;
const plausibleYear = (year: number) =>
	year >= MIN_YEAR && year <= new Date().getUTCFullYear() + 1 ? year : null;

/** The year of a PDF date ("D:20230115...") or an XMP date ("2023-01-15T..."). */
export function yearOfDate(value: string | undefined): number | null {
	const match = value?.trim().match(/^(?:D:)?(\d{4})/);
	return match ? plausibleYear(Number(match[1])) : null;
}

const VENUE_ACRONYMS = [
	'NeurIPS',
	'NIPS',
	'ICML',
	'ICLR',
	'AAAI',
	'IJCAI',
	'AISTATS',
	'UAI',
	'COLT',
	'COLM',
	'CoRL',
	'ACL',
	'EMNLP',
	'NAACL',
	'EACL',
	'COLING',
	'CVPR',
	'ICCV',
	'ECCV',
	'KDD',
	'WWW',
	'SIGIR',
	'SIGMOD',
	'VLDB',
	'ICDE',
	'OSDI',
	'SOSP',
	'NSDI',
	'EuroSys',
	'USENIX ATC',
	'FAST',
	'MLSys',
	'ASPLOS',
	'ISCA',
	'MICRO',
	'HPCA',
	'PPoPP',
	'SIGCOMM',
	'SoCC',
	'HotOS',
	'CHI',
	'UIST'
];
const ACRONYM = new RegExp(
	`(?<![\\w-])(${VENUE_ACRONYMS.join('|').replace(/ /g, '\\s+')})\\s*(?:['’](\\d{2})|(\\d{4}))(?!\\d)`
);
const PROCEEDINGS = /\bProceedings of (?:the )?[^\n]{3,160}/;
const JOURNAL = /\b(?:Transactions on|Journal of) [A-Z][^\n]{3,100}/;
const ARXIV_NEW = /\barXiv:\s*((\d{2})(\d{2})\.\d{4,5})(?:v\d+)?/i;
const ARXIV_OLD = /\barXiv:\s*([a-z-]+(?:\.[A-Z]{2})?\/(\d{2})\d{5})(?:v\d+)?/i;
const MENTION =
	/arxiv|conference|proceedings|workshop|symposium|journal|transactions|published|preprint|copyright|©/i;

const trimVenue = (text: string) =>
	collapse(text)
		.replace(/\s*\.\s.*$/, '') // first sentence
		.replace(/[\s,;:.]+$/, '')
		.slice(0, 200);

/** The venue named on page 1 and the year that goes with it. */
export function venueFromText(text: string): { venue: string | null; year: number | null } {
	const proceedings = text.match(PROCEEDINGS);
	const acronym = text.match(ACRONYM);
	const acronymYear = acronym
		? plausibleYear(acronym[3] ? Number(acronym[3]) : 2000 + Number(acronym[2]))
		: null;
	if (proceedings) {
		const venue = trimVenue(proceedings[0]);
		const year = venue.match(/\b(19|20)\d{2}\b/);
		return { venue, year: year ? plausibleYear(Number(year[0])) : acronymYear };
	}
	if (acronym && acronymYear) {
		return { venue: `${collapse(acronym[1])} ${acronymYear}`, year: acronymYear };
	}
	const journal = text.match(JOURNAL);
	if (journal) return { venue: trimVenue(journal[0]), year: null };
	const arxiv = text.match(ARXIV_NEW);
	if (arxiv && Number(arxiv[3]) >= 1 && Number(arxiv[3]) <= 12) {
		return { venue: `arXiv:${arxiv[1]}`, year: plausibleYear(2000 + Number(arxiv[2])) };
	}
	const old = text.match(ARXIV_OLD);
	if (old) {
		const yy = Number(old[2]);
		return { venue: `arXiv:${old[1]}`, year: plausibleYear(yy > 50 ? 1900 + yy : 2000 + yy) };
	}
	return { venue: null, year: null };
}

/** A 19xx/20xx year on a page-1 line that mentions arXiv, a conference, a journal, ... */
export function yearNearMention(text: string): number | null {
	for (const line of text.split('\n')) {
		if (!MENTION.test(line)) continue;
		for (const match of line.matchAll(/(?<!\d)(19\d{2}|20\d{2})(?!\d)/g)) {
			const year = plausibleYear(Number(match[1]));
			if (year) return year;
		}
	}
	return null;
}

export function prefillMetadata(raw: RawPdfMetadata): PaperMetadata {
	const title =
		cleanTitle(raw.info.Title) ??
		cleanTitle(first(raw.xmp.title)) ??
		titleFromLayout(raw.firstPage);
	const authors = cleanAuthors(raw.info.Author) ?? cleanAuthors(raw.xmp.creator);
	const { venue, year: venueYear } = venueFromText(raw.firstPageText);
	// The printed venue's year beats the file's creation date (often a later re-export).
	const year =
		venueYear ??
		yearNearMention(raw.firstPageText) ??
		yearOfDate(raw.info.CreationDate) ??
		yearOfDate(first(raw.xmp.createDate));
	return { title, authors, year, venue };
}
