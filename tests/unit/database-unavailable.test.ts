import { describe, expect, test } from 'vitest';
import { isDatabaseUnavailable } from '$lib/server/db/errors';

const failedQuery = (cause: unknown) => new Error('Failed query: select 1', { cause });

describe('isDatabaseUnavailable', () => {
	test('a refused or lost connection, or a server shutting down, under a failed query', () => {
		for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT', '57P01', '57P03']) {
			expect(
				isDatabaseUnavailable(failedQuery(Object.assign(new Error(code), { code }))),
				code
			).toBe(true);
		}
	});

	test('errors of the query itself, and errors without a cause, are not', () => {
		const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
		expect(isDatabaseUnavailable(failedQuery(unique))).toBe(false);
		expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
		expect(isDatabaseUnavailable(undefined)).toBe(false);
	});
});
