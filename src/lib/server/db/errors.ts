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
