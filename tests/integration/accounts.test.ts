import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '$lib/server/db';
import { loginThrottles, sessions, users } from '$lib/server/db/schema';
import { changePassword, signIn, signUp } from '$lib/server/auth/accounts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '$lib/server/auth/session';
import { PASSWORD, expectInputError, expectNothingWritten, makeUser } from './helpers';

const MINUTE = 60_000;

async function usersWithEmail(email: string) {
	return db().select().from(users).where(eq(users.email, email));
}

async function throttleRow(key: string) {
	const [row] = await db().select().from(loginThrottles).where(eq(loginThrottles.key, key));
	return row;
}

/** Moves a throttle row `ms` into the past, as if that much time had gone by. */
async function age(key: string, ms: number) {
	const row = await throttleRow(key);
	await db()
		.update(loginThrottles)
		.set({
			windowStartedAt: new Date(row.windowStartedAt.getTime() - ms),
			lockedUntil: row.lockedUntil ? new Date(row.lockedUntil.getTime() - ms) : null
		})
		.where(eq(loginThrottles.key, key));
}

describe('signUp', () => {
	it('creates the account with an argon2id hash, never the password itself', async () => {
		const user = await signUp({
			name: 'Ada',
			email: 'ada@example.org',
			password: 'a long passphrase'
		});
		const [row] = await usersWithEmail('ada@example.org');
		expect(row).toMatchObject({ id: user.id, name: 'Ada', email: 'ada@example.org' });
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		expect(row.passwordHash).not.toContain('a long passphrase');
	});

	it('refuses a second account with the same email on the email field and keeps one row', async () => {
		await signUp({ name: 'Grace', email: 'grace@example.org', password: 'first passphrase' });
		const before = await usersWithEmail('grace@example.org');
		const errors = await expectInputError(
			signUp({ name: 'Impostor', email: 'grace@example.org', password: 'second passphrase' }),
			'email'
		);
		expect(errors.email).toMatch(/already exists/);
		const after = await usersWithEmail('grace@example.org');
		expect(after).toHaveLength(1);
		expect(after).toEqual(before);
	});
});

describe('signIn', () => {
	it('returns the account for the right password', async () => {
		const user = await makeUser('Right Password');
		const signedIn = await signIn({ email: user.email, password: PASSWORD, address: '10.0.0.1' });
		expect(signedIn).toEqual(user);
	});

	it('answers a wrong password and an unknown email with the same message', async () => {
		const user = await makeUser('Wrong Password');
		const wrong = await expectInputError(
			signIn({ email: user.email, password: 'not the password', address: '10.0.0.2' }),
			'form'
		);
		const unknown = await expectInputError(
			signIn({ email: 'nobody@example.org', password: PASSWORD, address: '10.0.0.2' }),
			'form'
		);
		expect(wrong.form).toBe('Wrong email or password.');
		expect(unknown).toEqual(wrong);
		expect(await throttleRow(`email:${user.email}`)).toMatchObject({ failures: 1 });
	});

	it('locks an account after 5 failures, even for the right password', async () => {
		const user = await makeUser('Guessed');
		const key = `email:${user.email}`;
		const fail = () =>
			expectInputError(
				signIn({ email: user.email, password: 'guess', address: '10.0.1.1' }),
				'form'
			);
		for (let i = 0; i < 4; i++) await fail();
		expect(await throttleRow(key)).toMatchObject({ failures: 4, lockedUntil: null });

		await fail();
		const row = await throttleRow(key);
		expect(row.failures).toBe(5);
		expect(row.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * MINUTE);

		const errors = await expectInputError(
			signIn({ email: user.email, password: PASSWORD, address: '10.0.1.2' }),
			'form'
		);
		expect(errors.form).toMatch(/^Too many failed sign-in attempts\. Try again in 15 minutes\.$/);

		// The lock is the account's: another account from the same address still signs in.
		const neighbour = await makeUser('Neighbour');
		await expect(
			signIn({ email: neighbour.email, password: PASSWORD, address: '10.0.1.1' })
		).resolves.toEqual(neighbour);
	});

	it('lets the account in again once the lock has expired', async () => {
		const user = await makeUser('Patient');
		const key = `email:${user.email}`;
		await db()
			.insert(loginThrottles)
			.values({
				key,
				failures: 5,
				windowStartedAt: new Date(),
				lockedUntil: new Date(Date.now() + 15 * MINUTE)
			});
		await expectInputError(
			signIn({ email: user.email, password: PASSWORD, address: '10.0.2.1' }),
			'form'
		);
		await age(key, 16 * MINUTE);
		await expect(
			signIn({ email: user.email, password: PASSWORD, address: '10.0.2.1' })
		).resolves.toEqual(user);
		// A success clears the account's count.
		expect(await throttleRow(key)).toBeUndefined();
	});

	it('forgets failures older than the window', async () => {
		const user = await makeUser('Forgetful');
		const key = `email:${user.email}`;
		const fail = () =>
			expectInputError(
				signIn({ email: user.email, password: 'guess', address: '10.0.3.1' }),
				'form'
			);
		for (let i = 0; i < 4; i++) await fail();
		await age(key, 16 * MINUTE);
		await fail();
		// Without the window this fifth failure would have locked the account.
		expect(await throttleRow(key)).toMatchObject({ failures: 1, lockedUntil: null });
		expect((await throttleRow(key)).windowStartedAt.getTime()).toBeGreaterThan(Date.now() - MINUTE);
	});

	it('counts failures per address too, under their own key', async () => {
		await makeUser('Counted');
		await expectInputError(
			signIn({ email: 'unknown@example.org', password: 'guess', address: '10.0.4.1' }),
			'form'
		);
		expect(await throttleRow('ip:10.0.4.1')).toMatchObject({ failures: 1 });
		const keys = await db()
			.select({ key: loginThrottles.key })
			.from(loginThrottles)
			.where(like(loginThrottles.key, '%unknown@example.org'));
		expect(keys).toEqual([{ key: 'email:unknown@example.org' }]);
	});
});

describe('changePassword', () => {
	it('ends every session, the current one too, starts a new one and replaces the password', async () => {
		const user = await makeUser('Changer');
		// A stolen cookie is the current session itself, so that one must end as well.
		const current = await createSession(generateSessionToken(), user.id);
		const laptop = await createSession(generateSessionToken(), user.id);
		const other = await makeUser('Bystander');
		const othersSession = await createSession(generateSessionToken(), other.id);

		const fresh = await changePassword(user, {
			currentPassword: PASSWORD,
			newPassword: 'a brand new passphrase'
		});

		const left = await db().select({ id: sessions.id }).from(sessions);
		expect(left.map((s) => s.id).sort()).toEqual([fresh.session.id, othersSession.id].sort());
		expect([current.id, laptop.id]).not.toContain(fresh.session.id);
		expect(await validateSessionToken(fresh.token)).toMatchObject({
			session: { id: fresh.session.id, userId: user.id },
			user: { id: user.id }
		});

		await expectInputError(
			signIn({ email: user.email, password: PASSWORD, address: '10.0.5.1' }),
			'form'
		);
		await expect(
			signIn({ email: user.email, password: 'a brand new passphrase', address: '10.0.5.1' })
		).resolves.toEqual(user);
	});

	it('refuses a wrong current password and changes nothing', async () => {
		const user = await makeUser('Careful');
		await createSession(generateSessionToken(), user.id);
		await createSession(generateSessionToken(), user.id);
		await expectNothingWritten(async () => {
			const errors = await expectInputError(
				changePassword(user, {
					currentPassword: 'not my password',
					newPassword: 'a brand new passphrase'
				}),
				'currentPassword'
			);
			expect(errors.currentPassword).toMatch(/not right/);
		});
	});
});
