/**
 * npm run restore -- <file.tar.gz> [--force]
 *
 * Restores an archive of `npm run backup` into the installation this environment points at
 * (PODIUM_DATA_DIR, or DATABASE_URL). The target must be empty: an existing data folder
 * or a database with tables is kept unless `--force` replaces it. Start Podium afterwards;
 * it applies any migrations newer than the backup.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { acquireFolderLock, FolderLockedError } from '../src/lib/server/db/folder-lock';
import {
	installation,
	main,
	MANIFEST,
	parseManifest,
	PG_DUMP,
	PGLITE_DIR,
	run,
	UsageError
} from './installation';

main(async (args) => {
	const force = args.includes('--force');
	const rest = args.filter((a) => a !== '--force');
	if (rest.length !== 1) throw new UsageError('Usage: npm run restore -- <file.tar.gz> [--force]');
	const file = path.resolve(rest[0]);
	const { databaseUrl, dataDir } = installation();
	const stage = mkdtempSync(path.join(os.tmpdir(), 'podium-restore-'));
	try {
		await run('tar', ['-xzf', file, '-C', stage]).catch((error: Error) => {
			throw new UsageError(`Cannot read ${file} as a backup archive: ${error.message}`);
		});
		const manifest = parseManifest(readFileSync(path.join(stage, MANIFEST), 'utf8'));
		if (manifest.kind === 'postgres') {
			if (!databaseUrl) {
				throw new UsageError(
					'This is a backup of a PostgreSQL installation: set DATABASE_URL to the (empty) database to restore it into.'
				);
			}
			await restorePostgres(databaseUrl, path.join(stage, PG_DUMP), force);
			return `Restored the backup of ${manifest.createdAt} into the PostgreSQL database.`;
		}
		if (databaseUrl) {
			throw new UsageError(
				'This is a backup of an embedded installation: unset DATABASE_URL and set PODIUM_DATA_DIR to the folder to restore it into.'
			);
		}
		restoreEmbedded(dataDir, path.join(stage, PGLITE_DIR), force);
		return `Restored the backup of ${manifest.createdAt} into ${dataDir}.`;
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
});

function restoreEmbedded(dataDir: string, source: string, force: boolean): void {
	mkdirSync(dataDir, { recursive: true });
	let lock;
	try {
		lock = acquireFolderLock(dataDir);
	} catch (error) {
		if (!(error instanceof FolderLockedError)) throw error;
		throw new UsageError(`${error.message}\nStop Podium before restoring into its data folder.`);
	}
	try {
		const present = readdirSync(dataDir).filter((name) => name !== 'podium.lock');
		if (present.length > 0 && !force) {
			throw new UsageError(
				`${dataDir} is not empty (${present.join(', ')}). Restore into an empty folder, ` +
					'or add --force to replace what is there.'
			);
		}
		for (const name of present) rmSync(path.join(dataDir, name), { recursive: true, force: true });
		cpSync(source, path.join(dataDir, PGLITE_DIR), { recursive: true });
	} finally {
		lock.release();
	}
}

async function restorePostgres(url: string, dump: string, force: boolean): Promise<void> {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const tables = await client<{ name: string }[]>`
			select schemaname || '.' || tablename as name from pg_tables
			where schemaname not in ('pg_catalog', 'information_schema') order by 1`;
		if (tables.length > 0 && !force) {
			throw new UsageError(
				`The database already has ${tables.length} tables (${tables
					.slice(0, 3)
					.map((t) => t.name)
					.join(', ')}, …). Restore into an empty database, or add --force to replace it.`
			);
		}
		if (tables.length > 0) {
			// Podium's tables, types and migration record live in these two schemas.
			await client.unsafe(
				'drop schema if exists drizzle cascade; drop schema public cascade; create schema public'
			);
		}
	} finally {
		await client.end({ timeout: 5 });
	}
	await run('pg_restore', [
		'--no-owner',
		'--no-acl',
		'--exit-on-error',
		'--single-transaction',
		`--dbname=${url}`,
		dump
	]);
}
