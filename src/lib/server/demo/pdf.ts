import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * Research-paper-like PDFs drawn with pdf-lib and the standard (non-embedded) Times and
 * Helvetica fonts: a title block, two-column body text, numbered section headings, vector
 * figures with captions and page numbers. Used for the demo course's papers and for tests
 * and benchmarks. The output is deterministic: the same spec gives the same bytes (and so the
 * same SHA-256 in the file store).
 */

export interface PaperSection {
	heading: string;
	paragraphs: string[];
}

export interface PaperFigure {
	caption: string;
	/** 0-based index into `sections`: the figure is drawn after that section's text. */
	afterSection: number;
}

export interface PaperSpec {
	title: string;
	authors: string[];
	venue?: string;
	year?: number;
	sections: PaperSection[];
	figures?: PaperFigure[];
	/**
	 * Minimum number of pages: after the sections, deterministic filler appendix text is added
	 * until the document has exactly this many pages. Content that needs more pages keeps them.
	 */
	pageCount?: number;
	/** Default 'letter' (612 x 792 pt); 'a4' is 595.28 x 841.89 pt. */
	paperSize?: 'letter' | 'a4';
	/**
	 * Info dictionary. By default Title = title, Author = authors joined with ", " and
	 * CreationDate = 1 March of `year` (or 2024 without a year). A `null` field is left out.
	 */
	info?: { title?: string | null; author?: string | null; creationDate?: Date | null };
}

const SIZES = {
	letter: [612, 792],
	a4: [595.28, 841.89]
} as const;

const MARGIN_X = 54;
const MARGIN_TOP = 60;
const MARGIN_BOTTOM = 64;
const GUTTER = 18;
const BODY_SIZE = 10;
const BODY_LEADING = 12;
const HEADING_SIZE = 11;
const CAPTION_SIZE = 9;
const CAPTION_LEADING = 11;
const FIGURE_HEIGHT = 110;
const PARAGRAPH_GAP = 5;

/** Characters outside WinAnsi that papers commonly contain, spelled with ones inside it. */
const REPLACEMENTS: Record<string, string> = {
	'\u2212': '-', // minus sign
	'\u2010': '-',
	'\u2011': '-',
	'\u2012': '-',
	'\u2015': '--',
	'\u2032': "'",
	'\u2033': "''",
	'\u2190': '<-',
	'\u2192': '->',
	'\u21d2': '=>',
	'\u2194': '<->',
	'\u2264': '<=',
	'\u2265': '>=',
	'\u2260': '!=',
	'\u2248': '~',
	'\u223c': '~',
	'\u221e': 'infinity',
	'\u2211': 'sum',
	'\u221a': 'sqrt',
	'\u2208': ' in ',
	'\u2200': 'for all ',
	'\u0141': 'L',
	'\u0142': 'l',
	'\u0110': 'D',
	'\u0111': 'd',
	'\u0131': 'i',
	'\ufb01': 'fi',
	'\ufb02': 'fl',
	'\u03b1': 'alpha',
	'\u03b2': 'beta',
	'\u03b3': 'gamma',
	'\u03b4': 'delta',
	'\u03b5': 'epsilon',
	'\u03b8': 'theta',
	'\u03bb': 'lambda',
	'\u03bc': 'mu',
	'\u03c0': 'pi',
	'\u03c3': 'sigma',
	'\u03c4': 'tau',
	'\u03c6': 'phi',
	'\u0394': 'Delta',
	'\u03a3': 'Sigma'
};

/** Makes `text` drawable with a WinAnsi standard font, on one line. */
export function toWinAnsi(text: string, charset: ReadonlySet<number>): string {
	let out = '';
	for (const ch of text.replace(/[\t\r\n\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ')) {
		const code = ch.codePointAt(0)!;
		if (charset.has(code)) out += ch;
		else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
		else {
			// Accented letters outside WinAnsi (e.g. "ő", "ź") lose the accent.
			const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
			out += [...plain].every((c) => charset.has(c.codePointAt(0)!)) && plain ? plain : '?';
		}
	}
	return out;
}

interface Fonts {
	body: PDFFont;
	bold: PDFFont;
	italic: PDFFont;
	sans: PDFFont;
	sansBold: PDFFont;
}

/** Greedy line breaking with cached word widths. */
class Wrapper {
	private widths = new Map<string, number>();
	private readonly space: number;
	constructor(
		private font: PDFFont,
		private size: number
	) {
		this.space = font.widthOfTextAtSize(' ', size);
	}
	width(word: string): number {
		let w = this.widths.get(word);
		if (w === undefined) {
			w = this.font.widthOfTextAtSize(word, this.size);
			if (this.widths.size < 50_000) this.widths.set(word, w);
		}
		return w;
	}
	wrap(text: string, maxWidth: number): string[] {
		const lines: string[] = [];
		let line = '';
		let lineWidth = 0;
		for (let word of text.split(' ')) {
			if (!word) continue;
			let w = this.width(word);
			// A word wider than the column is cut where it overflows.
			while (w > maxWidth) {
				if (line) {
					lines.push(line);
					line = '';
					lineWidth = 0;
				}
				let cut = word.length - 1;
				while (cut > 1 && this.width(word.slice(0, cut)) > maxWidth) cut--;
				lines.push(word.slice(0, cut));
				word = word.slice(cut);
				w = this.width(word);
			}
			if (!line) {
				line = word;
				lineWidth = w;
			} else if (lineWidth + this.space + w <= maxWidth) {
				line += ' ' + word;
				lineWidth += this.space + w;
			} else {
				lines.push(line);
				line = word;
				lineWidth = w;
			}
		}
		if (line) lines.push(line);
		return lines;
	}
}

/** Stops the filler text once the requested number of pages is full. */
class PageLimitReached extends Error {}

class Layout {
	pages: PDFPage[] = [];
	column = 0;
	y = 0;
	columnTop = 0;
	/** When set, asking for a page beyond this count throws PageLimitReached. */
	limit: number | null = null;
	readonly columnWidth: number;

	constructor(
		private doc: PDFDocument,
		readonly width: number,
		readonly height: number
	) {
		this.columnWidth = (width - 2 * MARGIN_X - GUTTER) / 2;
	}

	get page(): PDFPage {
		return this.pages[this.pages.length - 1];
	}

	get x(): number {
		return MARGIN_X + this.column * (this.columnWidth + GUTTER);
	}

	newPage(): void {
		if (this.limit !== null && this.pages.length >= this.limit) throw new PageLimitReached();
		this.pages.push(this.doc.addPage([this.width, this.height]));
		this.column = 0;
		this.columnTop = this.height - MARGIN_TOP;
		this.y = this.columnTop;
	}

	/** Moves to the next column or page unless `height` points still fit in this column. */
	ensure(height: number): void {
		if (this.y - height >= MARGIN_BOTTOM) return;
		if (this.column === 0) {
			this.column = 1;
			this.y = this.columnTop;
		} else {
			this.newPage();
		}
	}
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function hashString(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
	return h >>> 0;
}

const FILLER_WORDS = (
	'the model memory training throughput latency we our method baseline results show that ' +
	'gradient parameters layer attention batch sequence tokens GPU cluster communication ' +
	'overhead pipeline stage tensor parallel optimizer state activation checkpointing cost ' +
	'scaling experiment evaluation dataset accuracy improves reduces compared with under ' +
	'across each per when while because however therefore this approach design system ' +
	'kernel scheduling bandwidth compute precision quantization sparsity fine-tuning adapter ' +
	'rank update weights loss convergence steps warmup schedule hardware efficiency large'
).split(' ');

function fillerParagraph(random: () => number): string {
	const sentences: string[] = [];
	const count = 4 + Math.floor(random() * 4);
	for (let s = 0; s < count; s++) {
		const words: string[] = [];
		const length = 8 + Math.floor(random() * 14);
		for (let w = 0; w < length; w++) {
			words.push(FILLER_WORDS[Math.floor(random() * FILLER_WORDS.length)]);
		}
		if (random() < 0.3) words.splice(3, 0, `(${Math.floor(random() * 90 + 10)}.${s}%)`);
		const sentence = words.join(' ');
		sentences.push(sentence[0].toUpperCase() + sentence.slice(1) + '.');
	}
	return sentences.join(' ');
}

const UNNUMBERED = /^(abstract|references|bibliography|acknowledg(e)?ments?|appendix\b)/i;

/** Builds a paper-like PDF from `spec` (see PaperSpec). */
export async function makePaperPdf(spec: PaperSpec): Promise<Uint8Array> {
	const doc = await PDFDocument.create({ updateMetadata: false });
	const fonts: Fonts = {
		body: await doc.embedFont(StandardFonts.TimesRoman),
		bold: await doc.embedFont(StandardFonts.TimesRomanBold),
		italic: await doc.embedFont(StandardFonts.TimesRomanItalic),
		sans: await doc.embedFont(StandardFonts.Helvetica),
		sansBold: await doc.embedFont(StandardFonts.HelveticaBold)
	};
	const charset = new Set(fonts.body.getCharacterSet());
	const clean = (text: string) => toWinAnsi(text, charset).replace(/ {2,}/g, ' ').trim();

	const [width, height] = SIZES[spec.paperSize ?? 'letter'];
	const layout = new Layout(doc, width, height);
	const body = new Wrapper(fonts.body, BODY_SIZE);
	const black = rgb(0, 0, 0);

	// Title block, across both columns.
	layout.newPage();
	const fullWidth = width - 2 * MARGIN_X;
	let y = height - MARGIN_TOP - 12;
	const centered = (text: string, font: PDFFont, size: number, leading: number) => {
		for (const line of new Wrapper(font, size).wrap(clean(text), fullWidth)) {
			const w = font.widthOfTextAtSize(line, size);
			layout.page.drawText(line, { x: (width - w) / 2, y, size, font, color: black });
			y -= leading;
		}
	};
	centered(spec.title, fonts.bold, 17, 21);
	y -= 6;
	if (spec.authors.length) centered(spec.authors.join(', '), fonts.body, 11, 14);
	// "NeurIPS 2023" already names its year; "Workshop on X" gets ", 2023".
	const year =
		spec.year !== undefined && !spec.venue?.includes(String(spec.year)) ? spec.year : undefined;
	const venueLine = [spec.venue, year].filter((part) => part !== undefined).join(', ');
	if (venueLine) centered(venueLine, fonts.italic, 10, 13);
	layout.columnTop = y - 14;
	layout.y = layout.columnTop;

	const drawLines = (lines: string[], font: PDFFont, size: number, leading: number) => {
		for (const line of lines) {
			layout.ensure(leading);
			layout.y -= leading;
			layout.page.drawText(line, { x: layout.x, y: layout.y + 2, size, font, color: black });
		}
	};

	const drawParagraph = (text: string) => {
		const lines = body.wrap(clean(text), layout.columnWidth);
		if (!lines.length) return;
		drawLines(lines, fonts.body, BODY_SIZE, BODY_LEADING);
		layout.y -= PARAGRAPH_GAP;
	};

	let sectionNumber = 0;
	const drawHeading = (heading: string) => {
		const text = clean(heading);
		const numbered = !UNNUMBERED.test(text);
		if (numbered) sectionNumber++;
		const label = numbered ? `${sectionNumber} ${text}` : text;
		const lines = new Wrapper(fonts.bold, HEADING_SIZE).wrap(label, layout.columnWidth);
		// Keep the heading with at least two lines of its text.
		layout.ensure(4 + lines.length * 14 + 2 * BODY_LEADING);
		layout.y -= 4;
		drawLines(lines, fonts.bold, HEADING_SIZE, 14);
		layout.y -= 2;
	};

	let figureNumber = 0;
	const drawFigure = (caption: string) => {
		figureNumber++;
		const captionLines = new Wrapper(fonts.sans, CAPTION_SIZE).wrap(
			`Figure ${figureNumber}: ${clean(caption)}`,
			layout.columnWidth
		);
		layout.ensure(FIGURE_HEIGHT + 8 + captionLines.length * CAPTION_LEADING + 6);
		const page = layout.page;
		const left = layout.x;
		const top = layout.y - 4;
		const random = mulberry32(hashString(caption));
		const frameWidth = layout.columnWidth;
		page.drawRectangle({
			x: left,
			y: top - FIGURE_HEIGHT,
			width: frameWidth,
			height: FIGURE_HEIGHT,
			borderColor: rgb(0.6, 0.6, 0.6),
			borderWidth: 0.75
		});
		// Axes and a small bar chart.
		const originX = left + 24;
		const originY = top - FIGURE_HEIGHT + 18;
		const plotHeight = FIGURE_HEIGHT - 30;
		const plotWidth = frameWidth - 36;
		page.drawLine({
			start: { x: originX, y: originY },
			end: { x: originX + plotWidth, y: originY },
			thickness: 0.75
		});
		page.drawLine({
			start: { x: originX, y: originY },
			end: { x: originX, y: originY + plotHeight },
			thickness: 0.75
		});
		const bars = 5;
		const slot = plotWidth / bars;
		const palette = [rgb(0.2, 0.4, 0.7), rgb(0.85, 0.45, 0.2), rgb(0.3, 0.6, 0.35)];
		for (let i = 0; i < bars; i++) {
			const barHeight = plotHeight * (0.25 + 0.7 * random());
			page.drawRectangle({
				x: originX + i * slot + slot * 0.2,
				y: originY,
				width: slot * 0.6,
				height: barHeight,
				color: palette[i % palette.length]
			});
			page.drawText(String.fromCharCode(65 + i), {
				x: originX + i * slot + slot * 0.45,
				y: originY - 10,
				size: 7,
				font: fonts.sans,
				color: black
			});
		}
		layout.y = top - FIGURE_HEIGHT - 6;
		drawLines(captionLines, fonts.sans, CAPTION_SIZE, CAPTION_LEADING);
		layout.y -= 8;
	};

	const figures = spec.figures ?? [];
	const lastSection = spec.sections.length - 1;
	const figuresAfter = (index: number) =>
		figures.filter(
			(f) => Math.min(Math.max(Math.trunc(f.afterSection) || 0, 0), lastSection) === index
		);

	spec.sections.forEach((section, index) => {
		drawHeading(section.heading);
		section.paragraphs.forEach(drawParagraph);
		figuresAfter(index).forEach((f) => drawFigure(f.caption));
	});
	if (spec.sections.length === 0) figures.forEach((f) => drawFigure(f.caption));

	// Padding: filler appendix text until the requested number of pages is full.
	if (spec.pageCount !== undefined && layout.pages.length < spec.pageCount) {
		layout.limit = Math.trunc(spec.pageCount);
		const random = mulberry32(hashString(spec.title));
		try {
			for (let appendix = 0; ; appendix++) {
				if (appendix % 6 === 0) drawHeading(`Appendix ${appendix / 6 + 1}: Additional results`);
				drawParagraph(fillerParagraph(random));
			}
		} catch (error) {
			if (!(error instanceof PageLimitReached)) throw error;
		}
		layout.limit = null;
	}

	// Page numbers last, so that they come after the body in each page's text.
	layout.pages.forEach((page, index) => {
		const label = String(index + 1);
		const w = fonts.body.widthOfTextAtSize(label, 9);
		page.drawText(label, { x: (width - w) / 2, y: 34, size: 9, font: fonts.body, color: black });
	});

	const info = spec.info ?? {};
	const title = info.title === undefined ? spec.title : info.title;
	const author = info.author === undefined ? spec.authors.join(', ') : info.author;
	const created =
		info.creationDate === undefined
			? new Date(Date.UTC(spec.year ?? 2024, 2, 1))
			: info.creationDate;
	if (title !== null) doc.setTitle(title);
	if (author !== null) doc.setAuthor(author);
	if (created !== null) {
		doc.setCreationDate(created);
		doc.setModificationDate(created);
	}
	doc.setProducer('Podium demo paper generator (pdf-lib)');
	return doc.save();
}
