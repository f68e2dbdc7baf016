import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { DatabaseHandle } from '../../src/lib/server/db/index';
import { migrate } from '../../src/lib/server/db/migrate';
import * as schema from '../../src/lib/server/db/schema';
import { adminClient, databaseUrl, quoteIdent } from './pg-admin';

/** What each test file needs to open its own copy of the migrated database. */
export type TestDatabaseSource =
	{ kind: 'embedded'; snapshotFile: string } | { kind: 'postgres'; url: string; template: string };

declare module 'vitest' {
	export interface ProvidedContext {
		podiumDatabase: TestDatabaseSource;
	}
}

/**
 * Migrates one database for the whole run. Each test file then starts from a copy of it
 * (tests/integration/setup.ts): a PGlite snapshot without DATABASE_URL, a PostgreSQL
 * template database with it.
 */
export default async function setup(project: TestProject) {
	const url = process.env.DATABASE_URL;
	if (url) return setupPostgres(project, url);
	return setupEmbedded(project);
}

async function setupEmbedded(project: TestProject) {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const client = await PGlite.create();
	try {
		const handle: DatabaseHandle = {
			db: drizzle(client, { schema }) as unknown as DatabaseHandle['db'],
			kind: 'embedded',
			close: () => client.close()
		};
		await migrate(handle);
		const dump = await client.dumpDataDir('gzip');
		const snapshotFile = path.join(
			os.tmpdir(),
			`podium-test-${process.pid}-${randomBytes(4).toString('hex')}.tar.gz`
		);
		await writeFile(snapshotFile, Buffer.from(await dump.arrayBuffer()));
		project.provide('podiumDatabase', { kind: 'embedded', snapshotFile });
		return async () => {
			await rm(snapshotFile, { force: true });
		};
	} finally {
		await client.close();
	}
}

async function setupPostgres(project: TestProject, url: string) {
	const template = `podium_tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
	const admin = adminClient(url);
	try {
		await admin.unsafe(`create database ${quoteIdent(template)}`);
	} finally {
		await admin.end({ timeout: 5 });
	}
	const dropAll = async () => {
		const client = adminClient(url);
		try {
			// The template and every per-file copy (named after it) that a crash left behind.
			const rows = await client<{ datname: string }[]>`
				select datname from pg_database where datname = ${template} or datname like ${template + '\\_%'}`;
			for (const { datname } of rows) {
				await client.unsafe(`drop database if exists ${quoteIdent(datname)} with (force)`);
			}
		} finally {
			await client.end({ timeout: 5 });
		}
	};
	try {
		// migrate() opens its own connection for PostgreSQL and only reads `kind` here.
		const handle = { kind: 'postgres', db: undefined, close: async () => {} };
		await migrate(handle as unknown as DatabaseHandle, databaseUrl(url, template));
	} catch (error) {
		await dropAll();
		throw error;
	}
	project.provide('podiumDatabase', { kind: 'postgres', url, template });
	return dropAll;
}
