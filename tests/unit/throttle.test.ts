import { describe, expect, it } from 'vitest';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	minutesToWait,
	throttleVerdict,
	type ThrottlePolicy,
	type ThrottleState
} from '$lib/auth/throttle';

const MINUTE = 60_000;
const now = new Date('2026-12-09T15:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const later = (ms: number) => new Date(now.getTime() + ms);

const policy: ThrottlePolicy = {
	windowMs: 10 * MINUTE,
	slowAfter: 3,
	delayStepMs: 400,
	maxDelayMs: 1000,
	lockAfter: 6,
	lockMs: 20 * MINUTE
};

const state = (failures: number, overrides: Partial<ThrottleState> = {}): ThrottleState => ({
	failures,
	windowStartedAt: ago(MINUTE),
	lockedUntil: null,
	...overrides
});

describe('throttleVerdict', () => {
	it('lets a key with no failures through at once', () => {
		expect(throttleVerdict(undefined, now, policy)).toEqual({ kind: 'allowed', delayMs: 0 });
		expect(throttleVerdict(state(0), now, policy)).toEqual({ kind: 'allowed', delayMs: 0 });
	});

	it('answers without delay below slowAfter failures', () => {
		for (let failures = 1; failures < policy.slowAfter; failures++) {
			expect(throttleVerdict(state(failures), now, policy)).toEqual({
				kind: 'allowed',
				delayMs: 0
			});
		}
	});

	it('slows down by one step per failure from slowAfter on, up to the maximum', () => {
		const delays = [3, 4, 5, 6, 20].map((failures) => {
			const verdict = throttleVerdict(state(failures), now, policy);
			expect(verdict.kind).toBe('allowed');
			return verdict.kind === 'allowed' ? verdict.delayMs : -1;
		});
		expect(delays).toEqual([400, 800, 1000, 1000, 1000]);
	});

	it('slows the account policy after 3 failures and the address policy only after 10', () => {
		expect(throttleVerdict(state(2), now, ACCOUNT_POLICY)).toEqual({ kind: 'allowed', delayMs: 0 });
		expect(throttleVerdict(state(3), now, ACCOUNT_POLICY)).toMatchObject({ delayMs: 500 });
		expect(throttleVerdict(state(9), now, ADDRESS_POLICY)).toEqual({ kind: 'allowed', delayMs: 0 });
		expect(throttleVerdict(state(10), now, ADDRESS_POLICY)).toMatchObject({ delayMs: 500 });
		// A shared address gets much more room than one account before locking.
		expect(ADDRESS_POLICY.lockAfter).toBeGreaterThan(ACCOUNT_POLICY.lockAfter);
	});

	it('refuses a locked key and says how long is left', () => {
		const locked = state(policy.lockAfter, { lockedUntil: later(7 * MINUTE) });
		expect(throttleVerdict(locked, now, policy)).toEqual({
			kind: 'locked',
			retryAfterMs: 7 * MINUTE
		});
		// Even with an old window: the lock has its own expiry.
		const oldWindow = { ...locked, windowStartedAt: ago(60 * MINUTE) };
		expect(throttleVerdict(oldWindow, now, policy).kind).toBe('locked');
	});

	it('lets the key through once the lock has expired', () => {
		const expired = state(policy.lockAfter, {
			windowStartedAt: ago(policy.windowMs + MINUTE),
			lockedUntil: ago(1)
		});
		expect(throttleVerdict(expired, now, policy)).toEqual({ kind: 'allowed', delayMs: 0 });
		// A lock that ends exactly now is over.
		const endsNow = state(1, { lockedUntil: now });
		expect(throttleVerdict(endsNow, now, policy).kind).toBe('allowed');
	});

	it('forgets failures once the window has passed', () => {
		const inWindow = state(5, { windowStartedAt: ago(policy.windowMs) });
		expect(throttleVerdict(inWindow, now, policy)).toEqual({ kind: 'allowed', delayMs: 1000 });
		const pastWindow = state(5, { windowStartedAt: ago(policy.windowMs + 1) });
		expect(throttleVerdict(pastWindow, now, policy)).toEqual({ kind: 'allowed', delayMs: 0 });
	});
});

describe('minutesToWait', () => {
	it.each([
		[0, 1],
		[1, 1],
		[MINUTE, 1],
		[MINUTE + 1, 2],
		[14 * MINUTE + 30_000, 15],
		[15 * MINUTE, 15]
	])('%i ms is %i minute(s)', (ms, minutes) => {
		expect(minutesToWait(ms)).toBe(minutes);
	});
});
