import { describe, expect, it } from 'vitest';
import { crossOriginRefusal, isCrossOriginWrite } from '$lib/server/auth/origin';

const APP = 'https://podium.example';

function request(method: string, headers: Record<string, string> = {}): Request {
	return new Request(`${APP}/courses/c1/lectures/l1/present/position`, { method, headers });
}

describe('isCrossOriginWrite', () => {
	it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s from another origin', (method) => {
		expect(isCrossOriginWrite(request(method, { origin: 'https://evil.example' }), APP)).toBe(true);
		// A sibling origin of the same site (another port or scheme) is another origin too.
		expect(isCrossOriginWrite(request(method, { origin: 'http://podium.example' }), APP)).toBe(
			true
		);
		expect(isCrossOriginWrite(request(method, { origin: `${APP}:8443` }), APP)).toBe(true);
		// Sandboxed frames and data: documents send the opaque origin "null".
		expect(isCrossOriginWrite(request(method, { origin: 'null' }), APP)).toBe(true);
	});

	it('lets the same origin write', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			const same = request(method, { origin: APP, 'sec-fetch-site': 'same-origin' });
			expect(isCrossOriginWrite(same, APP)).toBe(false);
		}
	});

	it('refuses what the browser calls cross-site, with or without an Origin', () => {
		expect(isCrossOriginWrite(request('POST', { 'sec-fetch-site': 'cross-site' }), APP)).toBe(true);
		const both = request('POST', { origin: APP, 'sec-fetch-site': 'cross-site' });
		expect(isCrossOriginWrite(both, APP)).toBe(true);
	});

	it('lets a client without Origin write (not a browser: it has no victim cookies)', () => {
		expect(isCrossOriginWrite(request('POST'), APP)).toBe(false);
		expect(isCrossOriginWrite(request('POST', { 'sec-fetch-site': 'none' }), APP)).toBe(false);
	});

	it('never refuses reads, whatever their origin', () => {
		for (const method of ['GET', 'HEAD', 'OPTIONS']) {
			const foreign = request(method, {
				origin: 'https://evil.example',
				'sec-fetch-site': 'cross-site'
			});
			expect(isCrossOriginWrite(foreign, APP)).toBe(false);
		}
	});
});

describe('crossOriginRefusal', () => {
	it('answers 403 in JSON to a JSON client and as text otherwise', async () => {
		const asJson = crossOriginRefusal(request('POST', { accept: 'application/json' }));
		expect(asJson.status).toBe(403);
		expect(await asJson.json()).toEqual({
			message: 'Cross-site requests that change data are forbidden.'
		});
		const asText = crossOriginRefusal(request('POST'));
		expect(asText.status).toBe(403);
		expect(await asText.text()).toBe('Cross-site requests that change data are forbidden.');
	});
});
