import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Sql } from 'postgres';
import { RenewingClient } from '$lib/server/db/renewing';

/** Stand-ins for postgres.js clients: their connections' closes, their end and close. */
function fakeClients() {
	const made: { id: number; close: () => void; ended: boolean; swept: boolean }[] = [];
	const open = ({ onclose }: { onclose: () => void }) => {
		const client = { id: made.length, close: onclose, ended: false, swept: false };
		made.push(client);
		return {
			id: client.id,
			end: async () => {
				client.ended = true;
			},
			close: async () => {
				client.swept = true;
			}
		} as unknown as Sql;
	};
	return { made, open };
}

const idOf = (client: Sql) => (client as unknown as { id: number }).id;

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('RenewingClient', () => {
	test('a closed connection brings a fresh client; the old one is ended, and swept later', async () => {
		const { made, open } = fakeClients();
		const renewed: number[] = [];
		const pool = new RenewingClient({
			open,
			onRenew: (c) => renewed.push(idOf(c)),
			delayMs: 1000,
			sweepMs: 30_000
		});
		expect(idOf(pool.client)).toBe(0);
		made[0].close();
		expect(idOf(pool.client)).toBe(0);
		await vi.advanceTimersByTimeAsync(1000);
		expect(idOf(pool.client)).toBe(1);
		expect(renewed).toEqual([1]);
		expect(made[0]).toMatchObject({ ended: true, swept: false });
		await vi.advanceTimersByTimeAsync(30_000);
		expect(made[0].swept).toBe(true);
		expect(made[1]).toMatchObject({ ended: false, swept: false });
	});

	test('many closes at once renew once; closes of a replaced client renew nothing', async () => {
		const { made, open } = fakeClients();
		const pool = new RenewingClient({ open, delayMs: 1000 });
		for (let i = 0; i < 10; i++) made[0].close();
		await vi.advanceTimersByTimeAsync(1000);
		made[0].close();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(made).toHaveLength(2);
		expect(idOf(pool.client)).toBe(1);
	});

	test('end ends the current client and closes every one again; nothing renews after', async () => {
		const { made, open } = fakeClients();
		const pool = new RenewingClient({ open, delayMs: 1000, sweepMs: 30_000 });
		made[0].close();
		await vi.advanceTimersByTimeAsync(1000);
		made[1].close();
		const ended = pool.end();
		await vi.advanceTimersByTimeAsync(5000);
		await ended;
		expect(made).toHaveLength(2);
		// Every client is closed again after end, for connections that reopened meanwhile.
		expect(made.map((c) => [c.ended, c.swept])).toEqual([
			[true, true],
			[true, true]
		]);
	});
});
