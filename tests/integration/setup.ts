import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, inject } from 'vitest';
import { useDatabase, type Database, type DatabaseHandle } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { adminClient, databaseUrl, quoteIdent } from './pg-admin';

// Every test file gets its own copy of the migrated database: files never see each
// other's rows, and the services inside the file use it through `useDatabase`.
let handle: DatabaseHandle | undefined;

beforeAll(async () => {
	const source = inject('podiumDatabase');
	handle =
		source.kind === 'embedded'
			? await openSnapshot(source.snapshotFile)
			: await openTemplateCopy(source.url, source.template);
	useDatabase(handle);
});

afterAll(async () => {
	useDatabase(undefined);
	await handle?.close();
	handle = undefined;
});

async function openSnapshot(snapshotFile: string): Promise<DatabaseHandle> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const loadDataDir = new Blob([await readFile(snapshotFile)]);
	const client = await PGlite.create({ loadDataDir });
	return {
		db: drizzle(client, { schema }) as unknown as Database,
		kind: 'embedded',
		close: () => client.close()
	};
}

async function openTemplateCopy(url: string, template: string): Promise<DatabaseHandle> {
	// Named after the template, so the global teardown also drops copies left by a crash.
	const name = `${template}_${randomBytes(4).toString('hex')}`;
	const admin = adminClient(url);
	try {
		await admin.unsafe(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
	} finally {
		await admin.end({ timeout: 5 });
	}
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const client = postgres(databaseUrl(url, name), { max: 4, onnotice: () => {} });
	return {
		db: drizzle(client, { schema }) as unknown as Database,
		kind: 'postgres',
		close: async () => {
			await client.end({ timeout: 5 });
			const dropper = adminClient(url);
			try {
				await dropper.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
			} finally {
				await dropper.end({ timeout: 5 });
			}
		}
	};
}
