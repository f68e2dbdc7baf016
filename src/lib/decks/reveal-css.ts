/**
 * reveal.js's own CSS as text, loaded on demand (each theme is its own chunk; the light
 * themes carry their fonts as data: URLs, some 500 KB): for pages that show slides and put
 * the CSS into a `<style>` themselves, scoped (the preview) or as is (the print layout).
 */
import type { REVEAL_THEMES } from './render';

type ThemeName = (typeof REVEAL_THEMES)[number];

const THEME_CSS: Record<ThemeName, () => Promise<{ default: string }>> = {
	black: () => import('reveal.js/theme/black.css?inline'),
	white: () => import('reveal.js/theme/white.css?inline'),
	league: () => import('reveal.js/theme/league.css?inline'),
	beige: () => import('reveal.js/theme/beige.css?inline'),
	night: () => import('reveal.js/theme/night.css?inline'),
	serif: () => import('reveal.js/theme/serif.css?inline'),
	simple: () => import('reveal.js/theme/simple.css?inline'),
	solarized: () => import('reveal.js/theme/solarized.css?inline'),
	moon: () => import('reveal.js/theme/moon.css?inline'),
	dracula: () => import('reveal.js/theme/dracula.css?inline'),
	sky: () => import('reveal.js/theme/sky.css?inline'),
	blood: () => import('reveal.js/theme/blood.css?inline'),
	'black-contrast': () => import('reveal.js/theme/black-contrast.css?inline'),
	'white-contrast': () => import('reveal.js/theme/white-contrast.css?inline')
};

/** A known theme name, else "white". */
export function themeName(name: string): ThemeName {
	return Object.hasOwn(THEME_CSS, name) ? (name as ThemeName) : 'white';
}

/** reveal.css, the code highlighting style and the theme (`themeName(name)`), in that order. */
export async function loadRevealCss(name: string): Promise<string[]> {
	const parts = await Promise.all([
		import('reveal.js/reveal.css?inline'),
		import('reveal.js/plugin/highlight/monokai.css?inline'),
		THEME_CSS[themeName(name)]()
	]);
	return parts.map((part) => part.default);
}
