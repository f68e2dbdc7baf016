import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// Every script SvelteKit emits gets a hash or nonce; nothing inline written by a
		// person (Markdown, names) can ever run.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				// Embedded videos on slides (the deck dialect allows only these embed pages);
				// pages show them when presenting and following a talk.
				'frame-src': [
					'self',
					'https://www.youtube-nocookie.com',
					'https://youtube-nocookie.com',
					'https://www.youtube.com',
					'https://youtube.com',
					'https://player.vimeo.com'
				],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
