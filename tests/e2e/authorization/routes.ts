import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../server-process';

const ROUTES_DIR = path.join(ROOT, 'src', 'routes');

/**
 * One way into the app, named the way the matrix names its rows:
 * `page /courses/[course]` (GET of a page), `action /courses/[course]?/pin` (a named form
 * action; `action /join` for a default one), `GET /health` (a method of a +server.ts).
 */
export type RouteKey = string;

export const pageKey = (route: string): RouteKey => `page ${route}`;
export const actionKey = (route: string, name: string): RouteKey =>
	name === 'default' ? `action ${route}` : `action ${route}?/${name}`;
export const endpointKey = (method: string, route: string): RouteKey => `${method} ${route}`;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

/**
 * The keys of the actions object of a +page.server.ts. Read from the text, not imported:
 * importing a route module pulls in the server. Prettier writes the object's own keys one
 * tab in, so nested objects and comments do not match.
 */
export function actionNames(source: string): string[] {
	const start = source.search(/^export const actions(?::\s*Actions)?\s*=\s*\{/m);
	if (start < 0) return [];
	const body = source.slice(start);
	const end = body.search(/^\};?$/m);
	const block = end < 0 ? body : body.slice(0, end);
	return [...block.matchAll(/^\t(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/gm)].map((m) => m[1]);
}

/** The exported request handlers of a +server.ts. */
export function endpointMethods(source: string): string[] {
	return METHODS.filter((method) =>
		new RegExp(`^export (?:const|(?:async )?function) ${method}\\b`, 'm').test(source)
	);
}

/** Every page, form action and endpoint method under src/routes, read now. */
export function discoverRoutes(dir = ROUTES_DIR): RouteKey[] {
	const keys: RouteKey[] = [];
	const walk = (folder: string) => {
		const entries = readdirSync(folder, { withFileTypes: true });
		const relative = path.relative(dir, folder).split(path.sep).join('/');
		const route = relative ? `/${relative}` : '/';
		const files = entries.filter((e) => e.isFile()).map((e) => e.name);
		const isPage = files.some((f) => /^\+page(@[^.]*)?\.(svelte|server\.ts|ts)$/.test(f));
		if (isPage) keys.push(pageKey(route));
		if (files.includes('+page.server.ts')) {
			const source = readFileSync(path.join(folder, '+page.server.ts'), 'utf8');
			for (const name of actionNames(source)) keys.push(actionKey(route, name));
		}
		if (files.includes('+server.ts')) {
			const source = readFileSync(path.join(folder, '+server.ts'), 'utf8');
			for (const method of endpointMethods(source)) keys.push(endpointKey(method, route));
		}
		for (const entry of entries) if (entry.isDirectory()) walk(path.join(folder, entry.name));
	};
	walk(dir);
	return keys.sort();
}
