// `npm start`: the built app with the defaults a machine without a proxy needs.
const env = process.env;
// Paper uploads are larger than adapter-node's 512 KB default body limit.
env.BODY_SIZE_LIMIT ||= '60M';
// Without ORIGIN or a protocol header adapter-node takes every request for https, and
// SvelteKit then refuses every form post over plain http (signing in too) as cross-site.
if (!env.ORIGIN && !env.PROTOCOL_HEADER) env.ORIGIN = `http://localhost:${env.PORT || 3000}`;
await import('../build/index.js');
