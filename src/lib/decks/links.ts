import type { CitationResolver } from './render';

/** Where a citation's annotation lives. */
export interface CitationTarget {
	annotationId: string;
	paperId: string;
}

/** Citations on slides link to their annotation in the paper; unknown ones show as gone. */
export function paperLinkResolver(courseId: string, targets: CitationTarget[]): CitationResolver {
	const byId = new Map(targets.map((t) => [t.annotationId, t]));
	return (link) => {
		const target = byId.get(link.id);
		return target
			? { href: `/courses/${courseId}/papers/${target.paperId}#annotation-${target.annotationId}` }
			: null;
	};
}
