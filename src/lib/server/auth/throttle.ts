import { eq, inArray, sql } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { loginThrottles } from '$lib/server/db/schema';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	throttleVerdict,
	type ThrottlePolicy,
	type ThrottleVerdict
} from '$lib/auth/throttle';

const keys = (email: string, address: string) => ({
	account: `email:${email}`,
	address: `ip:${address}`
});

/** The stricter verdict of the account's and the address's throttles. */
export async function checkLoginThrottle(email: string, address: string): Promise<ThrottleVerdict> {
	const k = keys(email, address);
	const rows = await db()
		.select()
		.from(loginThrottles)
		.where(inArray(loginThrottles.key, [k.account, k.address]));
	const now = new Date();
	const byKey = new Map(rows.map((r) => [r.key, r]));
	const verdicts = [
		throttleVerdict(byKey.get(k.account), now, ACCOUNT_POLICY),
		throttleVerdict(byKey.get(k.address), now, ADDRESS_POLICY)
	];
	let delayMs = 0;
	let locked: ThrottleVerdict | undefined;
	for (const v of verdicts) {
		if (v.kind === 'locked') {
			if (!locked || (locked.kind === 'locked' && v.retryAfterMs > locked.retryAfterMs)) locked = v;
		} else delayMs = Math.max(delayMs, v.delayMs);
	}
	return locked ?? { kind: 'allowed', delayMs };
}

async function recordFailure(key: string, policy: ThrottlePolicy): Promise<void> {
	// One atomic upsert, so concurrent guesses from several instances all count.
	const windowStart = sql`now() - make_interval(secs => ${policy.windowMs / 1000})`;
	await db()
		.insert(loginThrottles)
		.values({ key, failures: 1, windowStartedAt: sql`now()` })
		.onConflictDoUpdate({
			target: loginThrottles.key,
			set: {
				failures: sql`case when ${loginThrottles.windowStartedAt} < ${windowStart} then 1 else ${loginThrottles.failures} + 1 end`,
				windowStartedAt: sql`case when ${loginThrottles.windowStartedAt} < ${windowStart} then now() else ${loginThrottles.windowStartedAt} end`,
				lockedUntil: sql`case when ${loginThrottles.windowStartedAt} >= ${windowStart} and ${loginThrottles.failures} + 1 >= ${policy.lockAfter} then now() + make_interval(secs => ${policy.lockMs / 1000}) else ${loginThrottles.lockedUntil} end`
			}
		});
}

export async function recordLoginFailure(email: string, address: string): Promise<void> {
	const k = keys(email, address);
	await recordFailure(k.account, ACCOUNT_POLICY);
	await recordFailure(k.address, ADDRESS_POLICY);
}

/** A correct password clears the account's count; the address keeps its own. */
export async function recordLoginSuccess(email: string, address: string): Promise<void> {
	await db()
		.delete(loginThrottles)
		.where(eq(loginThrottles.key, keys(email, address).account));
}
