import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { sessions } from '$lib/server/db/schema';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	validateSessionToken
} from '$lib/server/auth/session';
import { makeUser } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

async function sessionRow(id: string) {
	const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
	return row;
}

async function setExpiry(id: string, expiresAt: Date) {
	await db().update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
}

describe('sessions', () => {
	it('stores only the SHA-256 of the token', async () => {
		const user = await makeUser('Hashed');
		const token = generateSessionToken();
		const session = await createSession(token, user.id);

		const rows = await db().select().from(sessions).where(eq(sessions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(createHash('sha256').update(token).digest('hex'));
		expect(session.id).toBe(rows[0].id);
		expect(JSON.stringify(rows)).not.toContain(token);
	});

	it('gives two tokens two different sessions', async () => {
		const user = await makeUser('Twice');
		const a = generateSessionToken();
		const b = generateSessionToken();
		expect(a).not.toBe(b);
		expect(a).toMatch(/^[a-z2-7]{32}$/);
		const [sa, sb] = [await createSession(a, user.id), await createSession(b, user.id)];
		expect(sa.id).not.toBe(sb.id);
	});

	it('resolves a valid token to its user and an unknown one to nothing', async () => {
		const user = await makeUser('Valid');
		const token = generateSessionToken();
		const session = await createSession(token, user.id);
		const result = await validateSessionToken(token);
		expect(result.user).toEqual(user);
		expect(result.session?.id).toBe(session.id);
		expect(await validateSessionToken(generateSessionToken())).toEqual({
			session: null,
			user: null
		});
		// The stored hash itself is not a token.
		expect((await validateSessionToken(session.id)).session).toBeNull();
	});

	it('slides the expiry forward once half of the lifetime has passed', async () => {
		const user = await makeUser('Sliding');
		const token = generateSessionToken();
		const session = await createSession(token, user.id);
		expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * DAY);

		// 20 days left: not yet slid.
		const twentyDays = new Date(Date.now() + 20 * DAY);
		await setExpiry(session.id, twentyDays);
		const early = await validateSessionToken(token);
		expect(early.session?.expiresAt.getTime()).toBe(twentyDays.getTime());
		expect((await sessionRow(session.id)).expiresAt.getTime()).toBe(twentyDays.getTime());

		// 10 days left: back to 30 days from now, in the answer and in the table.
		await setExpiry(session.id, new Date(Date.now() + 10 * DAY));
		const before = Date.now();
		const late = await validateSessionToken(token);
		const stored = (await sessionRow(session.id)).expiresAt.getTime();
		expect(late.session?.expiresAt.getTime()).toBe(stored);
		expect(stored).toBeGreaterThanOrEqual(before + 30 * DAY);
		expect(stored).toBeLessThanOrEqual(Date.now() + 30 * DAY);
	});

	it('rejects an expired token and deletes its session', async () => {
		const user = await makeUser('Expired');
		const token = generateSessionToken();
		const session = await createSession(token, user.id);
		await setExpiry(session.id, new Date(Date.now() - 1000));
		expect(await validateSessionToken(token)).toEqual({ session: null, user: null });
		expect(await sessionRow(session.id)).toBeUndefined();
	});

	it('signs out one session only', async () => {
		const user = await makeUser('Signing out');
		const keep = generateSessionToken();
		const end = generateSessionToken();
		await createSession(keep, user.id);
		const ended = await createSession(end, user.id);
		await invalidateSession(ended.id);
		expect((await validateSessionToken(end)).session).toBeNull();
		expect((await validateSessionToken(keep)).user).toEqual(user);
	});
});
