import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { acquireFolderLock, type FolderLock } from './folder-lock';
import { RenewingClient, surviveDriverWriteCrash } from './renewing';
import type { Sql } from 'postgres';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = PgTransaction<
	PgQueryResultHKT,
	typeof schema,
	ExtractTablesWithRelations<typeof schema>
>;
/** Either the database or an open transaction: services accept both. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
	db: Database;
	kind: 'embedded' | 'postgres';
	close(): Promise<void>;
}

export interface DatabaseConfig {
	/** postgres:// URL; without it the embedded database is used. */
	url?: string;
	/** Folder of the embedded database. */
	dataDir?: string;
}

let handle: DatabaseHandle | undefined;

/** The open database; the server opens it in `init` before it answers any request. */
export function db(): Database {
	if (!handle) throw new Error('The database is not open yet.');
	return handle.db;
}

export function databaseKind(): DatabaseHandle['kind'] {
	if (!handle) throw new Error('The database is not open yet.');
	return handle.kind;
}

/** Make `handle` the database every service uses (the server once; tests per file). */
export function useDatabase(next: DatabaseHandle | undefined): void {
	handle = next;
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
	if (config.url) return openPostgres(config.url);
	return openEmbedded(path.resolve(config.dataDir ?? 'data'));
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	surviveDriverWriteCrash();
	const wrap = (client: Sql) => drizzle(client, { schema }) as unknown as Database;
	// After the server drops connections, services get a fresh pool (see RenewingClient).
	const pool = new RenewingClient({
		open: (shared) =>
			postgres(url, {
				max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
				onnotice: () => {},
				// A connection that cannot open soon fails its query instead of holding it.
				connect_timeout: 5,
				...shared
			}),
		onRenew: (client) => (current = wrap(client))
	});
	let current = wrap(pool.client);
	return {
		get db() {
			return current;
		},
		kind: 'postgres',
		close: () => pool.end()
	};
}

async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
	mkdirSync(dataDir, { recursive: true });
	// Two processes on one PGlite folder silently lose writes: refuse the second one.
	const lock: FolderLock = acquireFolderLock(dataDir);
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const { drizzle } = await import('drizzle-orm/pglite');
		const dbDir = path.join(dataDir, 'pglite');
		mkdirSync(dbDir, { recursive: true });
		const client = await PGlite.create(dbDir);
		return {
			db: drizzle(client, { schema }) as unknown as Database,
			kind: 'embedded',
			close: async () => {
				await client.close();
				lock.release();
			}
		};
	} catch (error) {
		lock.release();
		throw error;
	}
}

export { schema };
