/**
 * The deck Markdown dialect: reveal.js's own Markdown plugin dialect plus Podium's
 * citations, pure and safe to import in the browser and on the server.
 *
 * - deck.ts: slides, notes and slide attributes; serialize; cursor → slide; outline
 * - attributes.ts: `.slide` / `.element` attributes and their allow-list; iframe hosts
 * - citations.ts: finding and writing `podium:` citations
 * - images.ts: the images a deck shows
 * - validate.ts: problems with line numbers before a save
 */
export {
	allSlides,
	outline,
	outliner,
	parseCodeInfo,
	parseDeck,
	serializeDeck,
	slideAtLine,
	slideByNumber,
	slideNumber,
	type CodeInfo,
	type Deck,
	type OutlineEntry,
	type Slide,
	type SlideIndex
} from './deck';
export {
	DECK_ALLOWED_IFRAME_HOSTS,
	findAttributeComments,
	isAllowedIframeSrc,
	parseAttributes,
	type AttributeComment,
	type AttributeResult
} from './attributes';
export {
	PODIUM_SCHEME,
	citationMarkdown,
	citedSlides,
	escapeMarkdown,
	figureCitation,
	findCitations,
	parsePodiumUrl,
	quoteCitation,
	type Citation,
	type CitationKind,
	type FigureCitationInput,
	type QuoteCitationInput
} from './citations';
export { findImages, type DeckImage } from './images';
export { DEFAULT_DECK_LIMITS, validateDeck, type DeckLimits, type DeckProblem } from './validate';
