/**
 * The Markdown a critique form inserts to cite an annotation or a slide (passages:
 * passageEvidence in evidence.ts). Labels lose brackets so the link stays one link.
 */
const plain = (text: string) => text.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim();

export function annotationEvidence(input: {
	id: string;
	paperTitle: string;
	page: number | null;
	quote: string;
}): string {
	const quote = plain(input.quote);
	const short = quote.length > 60 ? `${quote.slice(0, 60).trimEnd()}…` : quote;
	const where = `${plain(input.paperTitle)}${input.page ? `, p. ${input.page}` : ''}`;
	return `[“${short}” (${where})](podium:annotation/${input.id})`;
}

const slideNumber = (index: { h: number; v: number }) =>
	`${index.h + 1}${index.v > 0 ? `.${index.v + 1}` : ''}`;

/** "Slide 3: Title" (or "Slide 3.2"); `index` is 0-based as the deck counts. */
export function slideLabel(index: { h: number; v: number }, title: string): string {
	const label = plain(title);
	return `Slide ${slideNumber(index)}${label ? `: ${label}` : ''}`;
}

export function slideEvidence(index: { h: number; v: number }, title: string): string {
	return `[${slideLabel(index, title)}](podium:slide/${slideNumber(index)})`;
}
