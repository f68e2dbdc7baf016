import { and, eq } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { isUniqueViolation } from '$lib/server/db/errors';
import { InputError } from '$lib/server/forms';
import { newId } from '$lib/server/ids';
import { minutesToWait } from '$lib/auth/throttle';
import { enrollFromRoster } from '$lib/server/courses/roster';
import { hashPassword, NO_PASSWORD, verifyPassword } from './password';
import { checkLoginThrottle, recordLoginFailure, recordLoginSuccess } from './throttle';
import {
	createSession,
	generateSessionToken,
	invalidateUserSessions,
	type Session,
	type SessionUser
} from './session';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the account and enrolls it in every course whose roster lists its email. An
 * account an import made without a password is taken over instead, with what it holds.
 */
export async function signUp(input: {
	name: string;
	email: string;
	password: string;
}): Promise<SessionUser> {
	const passwordHash = await hashPassword(input.password);
	const user = { id: newId(), email: input.email, name: input.name };
	try {
		await db().transaction(async (tx) => {
			const [waiting] = await tx
				.update(users)
				.set({ name: input.name, passwordHash })
				.where(and(eq(users.email, input.email), eq(users.passwordHash, NO_PASSWORD)))
				.returning({ id: users.id });
			if (waiting) user.id = waiting.id;
			else await tx.insert(users).values({ ...user, passwordHash });
			await enrollFromRoster(tx, user);
		});
	} catch (e) {
		if (isUniqueViolation(e)) {
			throw new InputError({
				email: 'An account with this email already exists. Sign in instead.'
			});
		}
		throw e;
	}
	return user;
}

// Verifying against a real hash when the email is unknown keeps the answer's timing
// from telling which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** Checks email and password, with throttling per account and per address. */
export async function signIn(input: {
	email: string;
	password: string;
	address: string;
}): Promise<SessionUser> {
	const verdict = await checkLoginThrottle(input.email, input.address);
	if (verdict.kind === 'locked') {
		throw new InputError({
			form: `Too many failed sign-in attempts. Try again in ${minutesToWait(verdict.retryAfterMs)} minutes.`
		});
	}
	if (verdict.delayMs > 0) await sleep(verdict.delayMs);
	const [user] = await db().select().from(users).where(eq(users.email, input.email));
	decoyHash ??= hashPassword('decoy password for unknown emails');
	const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
	if (!user || !ok) {
		await recordLoginFailure(input.email, input.address);
		throw new InputError({ form: 'Wrong email or password.' });
	}
	await recordLoginSuccess(input.email, input.address);
	return { id: user.id, email: user.email, name: user.name };
}

/**
 * Sets a new password, ends every session of the account and starts a new one for the person
 * who changed it (the caller sets its cookie). The current session ends too: a stolen cookie
 * is that very session, and the password change is how its owner takes the account back.
 */
export async function changePassword(
	actor: SessionUser,
	input: { currentPassword: string; newPassword: string }
): Promise<{ token: string; session: Session }> {
	const [user] = await db().select().from(users).where(eq(users.id, actor.id));
	if (!user) error(401, 'Sign in again.');
	if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
		throw new InputError({ currentPassword: 'The current password is not right.' });
	}
	const passwordHash = await hashPassword(input.newPassword);
	const token = generateSessionToken();
	const session = await db().transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
		await invalidateUserSessions(actor.id, tx);
		return createSession(token, actor.id, tx);
	});
	return { token, session };
}
