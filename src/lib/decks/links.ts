import type { CitationResolver } from './render';

/** Where a citation's annotation lives, and whether it was edited since the deck cited it. */
export interface CitationTarget {
	annotationId: string;
	paperId: string;
	changed?: boolean;
}

/**
 * Citations on slides link to their annotation in the paper (absolute on `origin`, for a
 * file that leaves the app); figures show their crop; unknown or invisible ones show as gone.
 * Every page that shows slides resolves them here.
 */
export function citationResolver(
	courseId: string,
	targets: CitationTarget[],
	figures: Record<string, string> = {},
	origin?: string
): CitationResolver {
	const byId = new Map(targets.map((t) => [t.annotationId, t]));
	return (link) => {
		const target = byId.get(link.id);
		if (!target) return null;
		const path = `/courses/${courseId}/papers/${target.paperId}#annotation-${target.annotationId}`;
		return {
			href: origin ? new URL(path, origin).href : path,
			changed: target.changed ?? false,
			...(link.kind === 'figure' && { imageSrc: figures[link.id] })
		};
	};
}
