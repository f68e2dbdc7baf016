import DOMPurify from 'isomorphic-dompurify';
import { Marked } from 'marked';
import markedKatex from 'marked-katex-extension';
import { fetchesFromElsewhere } from '$lib/resource-urls';

const marked = new Marked({ gfm: true, breaks: false, async: false });
// Math as MathML only: no inline styles to allow, and browsers render it natively.
// `trust: false` keeps \href, \url and friends from making links or running anything.
marked.use(
	markedKatex({
		throwOnError: false,
		output: 'mathml',
		trust: false,
		maxExpand: 200,
		maxSize: 20,
		nonStandard: true
	})
);

// Links written by people open in a new tab and never send the page as referrer.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
	if (node.tagName === 'A' && node.getAttribute('href')) {
		node.setAttribute('target', '_blank');
		node.setAttribute('rel', 'noopener noreferrer nofollow');
	}
});

// Images, videos and backgrounds only from the app itself (see resource-urls.ts).
DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
	if (fetchesFromElsewhere(node.nodeName.toLowerCase(), data.attrName, data.attrValue)) {
		data.keepAttr = false;
	}
});

/**
 * Markdown (with $math$) to HTML that is safe to insert into a page: everything that
 * could run script (tags, handlers, javascript: URLs, SVG/MathML tricks) is removed.
 */
export function renderMarkdown(source: string): string {
	return sanitizeHtml(marked.parse(source) as string);
}

/**
 * HTML from elsewhere (a course import) made as safe as rendered Markdown; HTML that
 * `renderMarkdown` produced comes out unchanged.
 */
export function sanitizeHtml(html: string): string {
	return DOMPurify.sanitize(html, {
		USE_PROFILES: { html: true, mathMl: true },
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'maction'],
		FORBID_ATTR: ['style'],
		ADD_ATTR: ['target'],
		// KaTeX's MathML carries the TeX source in <annotation>: drop it, text and all.
		ADD_FORBID_CONTENTS: ['annotation', 'annotation-xml']
	});
}
