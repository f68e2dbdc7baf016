import path from 'node:path';
import type { DatabaseHandle } from './index';

export function migrationsFolder(): string {
	return path.resolve(process.env.PODIUM_MIGRATIONS_DIR ?? 'drizzle');
}

// Any constant works; it only has to be the same in every instance of the app.
const MIGRATION_LOCK_ID = 724_091_337;

/**
 * Applies pending migrations from `drizzle/`. On a PostgreSQL server, instances that
 * start together take turns through an advisory lock, so none sees half a migration.
 */
export async function migrate(handle: DatabaseHandle, url?: string): Promise<void> {
	const folder = migrationsFolder();
	if (handle.kind === 'embedded') {
		const { migrate: run } = await import('drizzle-orm/pglite/migrator');
		await run(handle.db as never, { migrationsFolder: folder });
		return;
	}
	if (!url) throw new Error('migrate: a PostgreSQL URL is required');
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
	// One connection, so the lock and the migration share a session.
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
		try {
			await run(drizzle(client), { migrationsFolder: folder });
		} finally {
			await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
		}
	} finally {
		await client.end({ timeout: 5 });
	}
}
