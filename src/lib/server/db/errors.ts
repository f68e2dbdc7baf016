/** True when a unique constraint refused the write (postgres.js and PGlite both say 23505). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
	for (let cause = e; cause; cause = (cause as { cause?: unknown }).cause) {
		const c = cause as { code?: string; constraint?: string; constraint_name?: string };
		if (c.code === '23505') {
			return !constraint || (c.constraint ?? c.constraint_name) === constraint;
		}
	}
	return false;
}

/** The constraint a write broke (unique, foreign key, check, not null), or null for other errors. */
export function integrityViolation(e: unknown): string | null {
	for (let cause = e; cause; cause = (cause as { cause?: unknown }).cause) {
		const c = cause as { code?: string; constraint?: string; constraint_name?: string };
		if (typeof c.code === 'string' && c.code.startsWith('23')) {
			return c.constraint ?? c.constraint_name ?? c.code;
		}
	}
	return null;
}

// The server is away: refused or lost connections (Node's and postgres.js's codes), and
// PostgreSQL's "shutting down / starting up / terminated by an administrator" (class 57P).
const UNAVAILABLE = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_DESTROYED',
	'CONNECTION_ENDED',
	'57P01',
	'57P02',
	'57P03'
]);

/** True when a query failed because the database server could not be reached. */
export function isDatabaseUnavailable(e: unknown): boolean {
	for (let cause = e; cause; cause = (cause as { cause?: unknown }).cause) {
		if (UNAVAILABLE.has(String((cause as { code?: unknown }).code))) return true;
	}
	return false;
}
