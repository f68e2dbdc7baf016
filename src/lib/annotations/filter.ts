import type { ThreadView } from './views';

export interface ThreadFilter {
	tag: string;
	author: string;
	/** 0 = every page. */
	page: number;
	unansweredQuestions: boolean;
	sort: 'reading' | 'helpful';
}

export const NO_FILTER: ThreadFilter = {
	tag: '',
	author: '',
	page: 0,
	unansweredQuestions: false,
	sort: 'reading'
};

/** The sidebar's list: filtered, then in reading order or most helpful first. */
export function filterThreads(
	threads: ThreadView[],
	filter: ThreadFilter,
	startOf: (thread: ThreadView) => number
): ThreadView[] {
	const kept = threads.filter(
		(t) =>
			(!filter.tag || t.tags.includes(filter.tag)) &&
			(!filter.author || t.authorName === filter.author) &&
			(!filter.page || t.page === filter.page) &&
			(!filter.unansweredQuestions || (t.tags.includes('question') && t.replies.length === 0))
	);
	const reading = (a: ThreadView, b: ThreadView) =>
		(a.page ?? 0) - (b.page ?? 0) ||
		startOf(a) - startOf(b) ||
		a.createdAt.localeCompare(b.createdAt);
	return kept.sort(
		filter.sort === 'helpful'
			? (a, b) => b.votes.helpful - a.votes.helpful || reading(a, b)
			: reading
	);
}

/** Tags and authors that occur, for the filter menus. */
export function filterChoices(threads: ThreadView[]) {
	const tags = new Set<string>();
	const authors = new Set<string>();
	for (const t of threads) {
		t.tags.forEach((tag) => tags.add(tag));
		if (t.authorName) authors.add(t.authorName);
	}
	return { tags: [...tags].sort(), authors: [...authors].sort() };
}
