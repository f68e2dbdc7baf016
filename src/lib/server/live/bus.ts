import type { Sql } from 'postgres';
import type { Visibility } from '$lib/annotations/types';
import { RenewingClient } from '$lib/server/db/renewing';

/**
 * Small events that tell open pages something changed; the page then fetches what it may
 * see. Within one process they are delivered directly; with PostgreSQL they travel
 * through LISTEN/NOTIFY so every app instance hears every event.
 */
export interface LiveEvent {
	/** e.g. "paper:<id>" */
	channel: string;
	type: string;
	/** Id of what changed (a thread root, ...). */
	id: string;
	/** Who may learn that it changed: everyone in the course, staff (and the author), or the author. */
	audience: Visibility;
	authorId: string | null;
	/**
	 * A few small values the page needs at once, without fetching (a talk's slide position).
	 * NOTIFY payloads are limited to 8000 bytes: never anything a person wrote.
	 */
	data?: Record<string, number | string | boolean>;
}

type Listener = (event: LiveEvent) => void;

const PG_CHANNEL = 'podium_live';

interface Transport {
	publish(event: LiveEvent): Promise<void>;
	close(): Promise<void>;
}

const listeners = new Map<string, Set<Listener>>();
let transport: Transport | undefined;

function deliver(event: LiveEvent): void {
	for (const listener of listeners.get(event.channel) ?? []) {
		try {
			listener(event);
		} catch (error) {
			console.error('live listener failed', error);
		}
	}
}

/** Starts the bus: in-process, or over LISTEN/NOTIFY on the PostgreSQL server at `url`. */
export async function startLiveBus(url?: string): Promise<void> {
	if (!url) {
		transport = {
			publish: async (event) => void setImmediate(() => deliver(event)),
			close: async () => {}
		};
		return;
	}
	const { default: postgres } = await import('postgres');
	const listen = (sql: Sql) =>
		sql.listen(PG_CHANNEL, (payload) => {
			try {
				deliver(JSON.parse(payload) as LiveEvent);
			} catch (error) {
				console.error('bad live event', error);
			}
		});
	// postgres.js re-listens by itself after the connection drops; a renewed client (after
	// the server closed the publishing connection, see RenewingClient) listens anew.
	const pool = new RenewingClient({
		open: (shared) => postgres(url, { max: 1, onnotice: () => {}, ...shared }),
		onRenew: (sql) => void listen(sql).catch((error) => console.error('could not listen', error))
	});
	await listen(pool.client);
	transport = {
		publish: async (event) => {
			await pool.client.notify(PG_CHANNEL, JSON.stringify(event));
		},
		close: () => pool.end()
	};
}

export async function stopLiveBus(): Promise<void> {
	await transport?.close();
	transport = undefined;
}

/** Call after the change is committed. A lost event costs a reload, never data. */
export async function publish(event: LiveEvent): Promise<void> {
	if (!transport) return;
	try {
		await transport.publish(event);
	} catch (error) {
		console.error('could not publish live event', error);
	}
}

export function subscribe(channel: string, listener: Listener): () => void {
	let set = listeners.get(channel);
	if (!set) listeners.set(channel, (set = new Set()));
	set.add(listener);
	return () => {
		set.delete(listener);
		if (set.size === 0) listeners.delete(channel);
	};
}

/** Whether a member may be told about an event. */
export function mayHear(
	event: Pick<LiveEvent, 'audience' | 'authorId'>,
	member: { userId: string; isStaff: boolean }
): boolean {
	if (event.authorId === member.userId) return true;
	if (event.audience === 'class') return true;
	if (event.audience === 'staff') return member.isStaff;
	return false;
}
