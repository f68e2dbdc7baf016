/** How failed sign-ins slow down and then lock a key (an account or an address). */
export interface ThrottlePolicy {
	/** Failures older than this are forgotten. */
	windowMs: number;
	/** From this many failures on, each answer waits a little longer. */
	slowAfter: number;
	delayStepMs: number;
	maxDelayMs: number;
	/** At this many failures the key is refused for `lockMs`. */
	lockAfter: number;
	lockMs: number;
}

export interface ThrottleState {
	failures: number;
	windowStartedAt: Date;
	lockedUntil: Date | null;
}

export type ThrottleVerdict =
	{ kind: 'allowed'; delayMs: number } | { kind: 'locked'; retryAfterMs: number };

const MINUTE = 60_000;

export const ACCOUNT_POLICY: ThrottlePolicy = {
	windowMs: 15 * MINUTE,
	slowAfter: 3,
	delayStepMs: 500,
	maxDelayMs: 3000,
	lockAfter: 5,
	lockMs: 15 * MINUTE
};

// An address may be a whole lab behind one NAT: more room before it locks.
export const ADDRESS_POLICY: ThrottlePolicy = {
	windowMs: 15 * MINUTE,
	slowAfter: 10,
	delayStepMs: 500,
	maxDelayMs: 3000,
	lockAfter: 30,
	lockMs: 15 * MINUTE
};

/** What to do with the next attempt for a key in `state`. */
export function throttleVerdict(
	state: ThrottleState | undefined,
	now: Date,
	policy: ThrottlePolicy
): ThrottleVerdict {
	if (!state) return { kind: 'allowed', delayMs: 0 };
	if (state.lockedUntil && state.lockedUntil > now) {
		return { kind: 'locked', retryAfterMs: state.lockedUntil.getTime() - now.getTime() };
	}
	if (now.getTime() - state.windowStartedAt.getTime() > policy.windowMs) {
		return { kind: 'allowed', delayMs: 0 };
	}
	const over = state.failures - policy.slowAfter + 1;
	if (over <= 0) return { kind: 'allowed', delayMs: 0 };
	return { kind: 'allowed', delayMs: Math.min(over * policy.delayStepMs, policy.maxDelayMs) };
}

/** Whole minutes, rounded up, for the message that tells a person how long to wait. */
export function minutesToWait(ms: number): number {
	return Math.max(1, Math.ceil(ms / MINUTE));
}
