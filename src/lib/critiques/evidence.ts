/**
 * Evidence in a critique's Markdown: links with the app's `podium:` scheme that point at an
 * annotation, a page of a paper (a passage quoted above the link) or a slide of the deck.
 *
 *     > Stage three increases it by about half
 *     > — [ZeRO, p. 4](podium:passage/<paperId>/4)
 *     See also [Farah's note](podium:annotation/<id>) and [slide 7](podium:slide/7).
 *
 * Stored as written; turned into links to the paper or deck when rendered.
 */
export type Evidence =
	| { kind: 'annotation'; id: string }
	| { kind: 'passage'; paperId: string; page: number }
	/** 1-based slide number as shown, and 1-based vertical position (1 = top of the stack). */
	| { kind: 'slide'; h: number; v: number };

const LINK = /\]\(\s*<?(podium:[^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const ID = '([A-Za-z0-9_-]{1,64})';
const ANNOTATION = new RegExp(`^podium:annotation/${ID}$`);
const PASSAGE = new RegExp(`^podium:passage/${ID}/(\\d{1,5})$`);
const SLIDE = /^podium:slide\/(\d{1,4})(?:\.(\d{1,4}))?$/;

export function parseEvidence(url: string): Evidence | null {
	let m = ANNOTATION.exec(url);
	if (m) return { kind: 'annotation', id: m[1] };
	m = PASSAGE.exec(url);
	if (m && Number(m[2]) >= 1) return { kind: 'passage', paperId: m[1], page: Number(m[2]) };
	m = SLIDE.exec(url);
	if (m && Number(m[1]) >= 1 && Number(m[2] ?? 1) >= 1) {
		return { kind: 'slide', h: Number(m[1]), v: Number(m[2] ?? 1) };
	}
	return null;
}

/** Every evidence link of a Markdown text, in order (malformed `podium:` links skipped). */
export function findEvidence(markdown: string): Evidence[] {
	const found: Evidence[] = [];
	for (const match of markdown.matchAll(LINK)) {
		const evidence = parseEvidence(match[1]);
		if (evidence) found.push(evidence);
	}
	return found;
}

/**
 * Replaces each `podium:` link target with what `href` answers (a same-origin path), or
 * with a fragment that goes nowhere when the evidence is gone or not visible to the reader.
 */
export function linkEvidence(markdown: string, href: (e: Evidence) => string | null): string {
	return markdown.replace(LINK, (whole, url: string) => {
		const evidence = parseEvidence(url);
		if (!evidence) return whole;
		return `](${href(evidence) ?? '#evidence-unavailable'})`;
	});
}

/** The Markdown a critique form inserts for a quoted passage. */
export function passageEvidence(input: {
	quote: string;
	paperTitle: string;
	paperId: string;
	page: number;
}): string {
	const quote = input.quote
		.trim()
		.split(/\r?\n/)
		.map((line) => `> ${line.replace(/[[\]]/g, '\\$&')}`)
		.join('\n');
	const label = `${input.paperTitle.replace(/[[\]]/g, '')}, p. ${input.page}`;
	return `${quote}\n> — [${label}](podium:passage/${input.paperId}/${input.page})`;
}
