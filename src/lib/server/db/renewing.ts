import type { Sql } from 'postgres';

/** Seconds before a dropped connection tries again (postgres.js: up to 20, growing). */
const RECONNECT_DELAY_S = 0.5;

/** What every client must be made with: see RenewingClient. */
export interface SharedOptions {
	onclose: () => void;
	/** Seconds before a reconnect, whatever the number of attempts. */
	backoff: () => number;
}

export interface RenewingOptions {
	/** Makes a client with `shared` among its options. */
	open(shared: SharedOptions): Sql;
	/** Runs with each new client (to listen again, say). */
	onRenew?(client: Sql): void;
	/** How long after a close the client is replaced (closes come in bursts). */
	delayMs?: number;
	/** When to close what a replaced client reopened after it was ended (see below). */
	sweepMs?: number;
}

/**
 * A postgres.js client that replaces itself with a fresh one after the server closes one
 * of its connections (a restart, a failover, a network cut).
 *
 * Why: in postgres.js 3.4.9 a connection that closes while a small write is still queued
 * keeps a stale write timer and never sends again, so every later query given to it hangs
 * (porsager/postgres#1208, LanternOps/breeze#3225). After one restart of the database, part
 * of the pool hung like that for good. A fresh client has none of that state; the old one
 * is ended, which fails the queries stuck in it within seconds.
 *
 * Ending a client does not cancel its connections' reconnect timers: one that fires later
 * opens a connection nobody uses, which kept the server from exiting. So reconnects wait a
 * short fixed delay, and a replaced client is closed once more after `sweepMs`; on end,
 * every client is closed again once that delay has passed. A connection that postgres.js retires by age
 * (max_lifetime) renews the client too, which costs a few new connections and nothing else.
 */
export class RenewingClient {
	#current: Sql;
	#replaced = new Map<Sql, NodeJS.Timeout>();
	#ending = new Set<Promise<unknown>>();
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(private readonly options: RenewingOptions) {
		this.#current = this.#make();
	}

	get client(): Sql {
		return this.#current;
	}

	#make(): Sql {
		const client: Sql = this.options.open({
			// Closes of replaced clients, as they end, are expected.
			onclose: () => {
				if (client === this.#current) this.#renewSoon();
			},
			backoff: () => RECONNECT_DELAY_S
		});
		return client;
	}

	#renewSoon(): void {
		if (this.#timer || this.#closed) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			const old = this.#current;
			this.#current = this.#make();
			this.options.onRenew?.(this.#current);
			this.#track(old.end({ timeout: 5 }));
			this.#replaced.set(
				old,
				setTimeout(() => this.#sweep(old), this.options.sweepMs ?? 5000)
			);
		}, this.options.delayMs ?? 1000);
	}

	#track(ending: Promise<unknown>): void {
		const settled: Promise<unknown> = ending
			.catch(() => {})
			.finally(() => this.#ending.delete(settled));
		this.#ending.add(settled);
	}

	#sweep(old: Sql): void {
		clearTimeout(this.#replaced.get(old));
		this.#replaced.delete(old);
		this.#track(closeConnections(old));
	}

	async end(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#timer);
		const all = [this.#current, ...this.#replaced.keys()];
		for (const old of [...this.#replaced.keys()]) this.#sweep(old);
		await Promise.all([this.#current.end({ timeout: 5 }), ...this.#ending]);
		await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_S * 1000 + 1000));
		await Promise.all(all.map((client) => closeConnections(client).catch(() => {})));
	}
}

/** close() ends each connection; postgres.js has it (src/index.js), its types omit it. */
function closeConnections(client: Sql): Promise<void> {
	return (client as Sql & { close(): Promise<void> }).close();
}

let installed = false;
const DRIVER_FILE = /[\\/]postgres[\\/](src|cjs[\\/]src)[\\/]connection\.c?js/;

/**
 * postgres.js 3.4.9 can also throw from a timer when a connection closes with a write
 * queued (porsager/postgres#1154, #1208): an uncaught TypeError that would end the whole
 * server. That error alone is logged and survived (the client it came from is being
 * renewed); any other uncaught exception still ends the process, as Node would.
 */
export function surviveDriverWriteCrash(): void {
	if (installed) return;
	installed = true;
	process.on('uncaughtException', (error) => {
		const stack = error?.stack ?? '';
		if (error instanceof TypeError && stack.includes('nextWrite') && DRIVER_FILE.test(stack)) {
			console.error('postgres.js wrote to a closed connection; its client is renewed.');
			return;
		}
		console.error(error);
		process.exit(1);
	});
}
