import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, useDatabase, type DatabaseHandle } from '$lib/server/db';
import { migrate } from '$lib/server/db/migrate';
import { seedDemo } from '$lib/server/demo/seed';
import { COURSE, DEMO_PASSWORD, INSTRUCTOR } from '$lib/server/demo/content';
import { signIn } from '$lib/server/auth/accounts';
import { myCourses } from '$lib/server/courses/service';
import { adminClient, databaseUrl, quoteIdent } from './pg-admin';

// The scripts run as an operator runs them (npm run backup/restore = tsx scripts/…), on the
// kind of installation this pass tests: embedded folders, or new databases of DATABASE_URL.
const SERVER = process.env.DATABASE_URL;
const ROOT = path.resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(path.join(os.tmpdir(), 'podium-backup-test-'));
const databases: string[] = [];

afterAll(async () => {
	rmSync(temp, { recursive: true, force: true });
	if (!SERVER) return;
	const admin = adminClient(SERVER);
	try {
		for (const name of databases) {
			await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
		}
	} finally {
		await admin.end({ timeout: 5 });
	}
});

interface Place {
	env: Record<string, string>;
	open(): Promise<DatabaseHandle>;
}

/** A new, empty place to install into; `migrated` starts it with the migrated schema. */
async function newPlace(migrated = false): Promise<Place> {
	if (!SERVER) {
		const dataDir = mkdtempSync(path.join(temp, 'data-'));
		if (migrated) {
			// The run's migrated snapshot instead of a new initdb (seconds on a busy machine).
			const { PGlite } = await import('@electric-sql/pglite');
			const snapshot = inject('podiumDatabase');
			if (snapshot.kind !== 'embedded') throw new Error('Expected the embedded test database.');
			const loadDataDir = new Blob([await readFile(snapshot.snapshotFile)]);
			await (await PGlite.create(path.join(dataDir, 'pglite'), { loadDataDir })).close();
		}
		return {
			env: { PODIUM_DATA_DIR: dataDir },
			open: () => openDatabase({ dataDir })
		};
	}
	const name = `podium_backup_${randomBytes(4).toString('hex')}`;
	const admin = adminClient(SERVER);
	try {
		await admin.unsafe(`create database ${quoteIdent(name)}`);
	} finally {
		await admin.end({ timeout: 5 });
	}
	databases.push(name);
	const url = databaseUrl(SERVER, name);
	return { env: { DATABASE_URL: url }, open: () => openDatabase({ url }) };
}

/** Opens the database as the server does at start: open, then apply migrations. */
async function start(place: Place): Promise<DatabaseHandle> {
	const handle = await place.open();
	await migrate(handle, place.env.DATABASE_URL);
	return handle;
}

function script(
	name: 'backup' | 'restore',
	args: string[],
	place: Pick<Place, 'env'>
): Promise<{ code: number | null; output: string }> {
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.DATABASE_URL;
	delete env.PODIUM_DATA_DIR;
	return new Promise((resolve, reject) => {
		const child = spawn('npx', ['tsx', `scripts/${name}.ts`, ...args], {
			cwd: ROOT,
			env: { ...env, ...place.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) => resolve({ code, output }));
	});
}

/** Every row of every table (Podium's and the migration record), bytes as their SHA-256. */
async function contents(handle: DatabaseHandle): Promise<Record<string, string[]>> {
	const rowsOf = (result: unknown) =>
		(Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
			string,
			unknown
		>[];
	const tables = rowsOf(
		await handle.db.execute(sql`select table_schema as s, table_name as t
			from information_schema.tables
			where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'`)
	);
	const out: Record<string, string[]> = {};
	for (const { s, t } of tables) {
		const rows = rowsOf(
			await handle.db.execute(sql.raw(`select * from "${String(s)}"."${String(t)}"`))
		);
		out[`${String(s)}.${String(t)}`] = rows
			.map((row) =>
				JSON.stringify(row, (_key, value) =>
					value instanceof Uint8Array || (value && value.type === 'Buffer')
						? `sha256:${createHash('sha256')
								.update(value instanceof Uint8Array ? value : Buffer.from(value.data))
								.digest('hex')}`
						: value
				)
			)
			.sort();
	}
	return out;
}

describe(`backup and restore of a whole ${SERVER ? 'PostgreSQL' : 'embedded'} installation`, () => {
	it('restores the demo installation elsewhere with every row and every file equal', async () => {
		const source = await newPlace(true);
		const archive = path.join(temp, 'podium.tar.gz');
		const running = await start(source);
		let before: Record<string, string[]>;
		try {
			useDatabase(running);
			await seedDemo(running.db);
			before = await contents(running);
			if (!SERVER) {
				// This process holds the folder like a running server does.
				const refused = await script('backup', [archive], source);
				expect(refused.code).toBe(1);
				expect(refused.output).toContain(`in use by another Podium process (pid ${process.pid})`);
				expect(refused.output).toContain('only be backed up while Podium is stopped');
				expect(existsSync(archive)).toBe(false);
			}
		} finally {
			useDatabase(undefined);
			await running.close();
		}

		const backup = await script('backup', [archive], source);
		expect(backup.output).toContain('Backed up');
		expect(backup.code).toBe(0);

		const target = await newPlace();
		const restored = await script('restore', [archive], target);
		expect(restored.output).toContain('Restored');
		expect(restored.code).toBe(0);

		// The source is not empty: restoring over it needs --force.
		const over = await script('restore', [archive], source);
		expect(over.code).toBe(1);
		expect(over.output).toMatch(/not empty|already has \d+ tables/);
		expect(over.output).toContain('--force');
		const forced = await script('restore', [archive, '--force'], source);
		expect(forced.code).toBe(0);

		for (const place of [target, source]) {
			const handle = await start(place);
			try {
				const after = await contents(handle);
				expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
				for (const table of Object.keys(before)) {
					expect(after[table], table).toEqual(before[table]);
				}
				expect(before['public.files'].length).toBeGreaterThan(0);
				useDatabase(handle);
				// Accounts keep their passwords and memberships.
				const instructor = await signIn({
					email: INSTRUCTOR.email,
					password: DEMO_PASSWORD,
					address: '127.0.0.1'
				});
				expect((await myCourses(instructor)).map((c) => c.title)).toContain(COURSE.title);
			} finally {
				useDatabase(undefined);
				await handle.close();
			}
		}
	}, 180_000);

	it('refuses a file that is not a backup', async () => {
		const file = path.join(temp, 'not-a-backup.tar.gz');
		await writeFile(file, 'hello');
		const place = { env: { PODIUM_DATA_DIR: path.join(temp, 'never-restored') } };
		const result = await script('restore', [file], place);
		expect(existsSync(place.env.PODIUM_DATA_DIR)).toBe(false);
		expect(result.code).toBe(1);
		expect(result.output).toContain('Cannot read');
	});
});
