// Requests still being handled. On shutdown the database must stay open until they are
// done: closing postgres.js under waiting queries left its connections open for good.
let count = 0;
const idle: (() => void)[] = [];

export async function track<T>(work: () => Promise<T>): Promise<T> {
	count++;
	try {
		return await work();
	} finally {
		count--;
		if (count === 0) idle.splice(0).forEach((resolve) => resolve());
	}
}

/** Resolves when no request is being handled, or after `timeoutMs`. */
export function drained(timeoutMs: number): Promise<void> {
	if (count === 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, timeoutMs);
		idle.push(() => {
			clearTimeout(timer);
			resolve();
		});
	});
}
