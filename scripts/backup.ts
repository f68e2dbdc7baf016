/**
 * npm run backup -- <file.tar.gz>
 *
 * Writes the whole installation (database and the files stored in it) into one archive.
 * Embedded database: Podium must be stopped. PGlite belongs to one process, so a second
 * process cannot read it while the server runs; the script holds the data folder's lock
 * for the whole copy, so the server cannot start mid-backup either. PostgreSQL: pg_dump
 * takes a consistent snapshot while the app keeps running.
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireFolderLock, FolderLockedError } from '../src/lib/server/db/folder-lock';
import {
	installation,
	main,
	MANIFEST,
	PG_DUMP,
	PGLITE_DIR,
	podiumVersion,
	run,
	UsageError,
	type BackupManifest
} from './installation';

main(async (args) => {
	const [target] = args;
	if (!target || args.length !== 1) throw new UsageError('Usage: npm run backup -- <file.tar.gz>');
	const file = path.resolve(target);
	const { databaseUrl, dataDir } = installation();
	const stage = mkdtempSync(path.join(os.tmpdir(), 'podium-backup-'));
	// Written beside the target and renamed at the end: a failed backup leaves no archive.
	const partial = `${file}.partial`;
	try {
		const manifest: BackupManifest = {
			format: 'podium-backup',
			version: 1,
			kind: databaseUrl ? 'postgres' : 'embedded',
			createdAt: new Date().toISOString(),
			podiumVersion: podiumVersion()
		};
		writeFileSync(path.join(stage, MANIFEST), JSON.stringify(manifest, null, 2));
		if (databaseUrl) {
			await run('pg_dump', [
				'--format=custom',
				'--no-owner',
				'--no-acl',
				`--file=${path.join(stage, PG_DUMP)}`,
				`--dbname=${databaseUrl}`
			]);
			await run('tar', ['-czf', partial, '-C', stage, MANIFEST, PG_DUMP]);
		} else {
			if (!existsSync(path.join(dataDir, PGLITE_DIR))) {
				throw new UsageError(`There is no embedded Podium database in ${dataDir}.`);
			}
			const lock = lockForBackup(dataDir);
			try {
				await run('tar', ['-czf', partial, '-C', stage, MANIFEST, '-C', dataDir, PGLITE_DIR]);
			} finally {
				lock.release();
			}
		}
		renameSync(partial, file);
		return `Backed up the ${manifest.kind === 'postgres' ? 'PostgreSQL database' : `embedded database in ${dataDir}`} to ${file}.`;
	} finally {
		rmSync(partial, { force: true });
		rmSync(stage, { recursive: true, force: true });
	}
});

function lockForBackup(dataDir: string) {
	try {
		return acquireFolderLock(dataDir);
	} catch (error) {
		if (!(error instanceof FolderLockedError)) throw error;
		throw new UsageError(
			`${error.message}\nThe embedded database can only be backed up while Podium is stopped: ` +
				'stop the server, run the backup, start it again.'
		);
	}
}
