/**
 * Links inside a PDF: internal ones (#page=…, named destinations) are pdf.js's business;
 * web and mail links open in a new tab without access to this page; anything else
 * (javascript:, file:, data:, custom schemes) never navigates. pdf.js already drops most unsafe
 * URLs; this capture-phase guard is the second line.
 */
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

export function guardLinks(container: HTMLElement): () => void {
	const onActivate = (event: MouseEvent) => {
		const link = (event.target as Element | null)?.closest?.('a');
		if (!link || !container.contains(link)) return;
		const href = link.getAttribute('href') ?? '';
		if (href.startsWith('#')) return;
		let url: URL | null = null;
		try {
			url = new URL(link.href);
		} catch {
			url = null;
		}
		if (!url || !ALLOWED.has(url.protocol)) {
			event.preventDefault();
			event.stopImmediatePropagation();
			return;
		}
		link.target = '_blank';
		link.rel = 'noopener noreferrer nofollow';
	};
	container.addEventListener('click', onActivate, true);
	container.addEventListener('auxclick', onActivate, true);
	return () => {
		container.removeEventListener('click', onActivate, true);
		container.removeEventListener('auxclick', onActivate, true);
	};
}
