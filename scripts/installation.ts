import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What `npm run backup` writes into the archive beside the data, so that `npm run restore`
 * knows what it holds before it touches anything.
 */
export interface BackupManifest {
	format: 'podium-backup';
	version: 1;
	/** embedded: the data folder's `pglite/`; postgres: `database.dump` (pg_dump -Fc). */
	kind: 'embedded' | 'postgres';
	createdAt: string;
	podiumVersion: string;
}

export const MANIFEST = 'manifest.json';
export const PG_DUMP = 'database.dump';
export const PGLITE_DIR = 'pglite';

/** The installation this process is configured for, read as the server reads it. */
export function installation(env: NodeJS.ProcessEnv = process.env) {
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(env.PODIUM_DATA_DIR ?? 'data')
	};
}

export function podiumVersion(): string {
	const file = path.resolve(import.meta.dirname, '..', 'package.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function parseManifest(text: string): BackupManifest {
	const value = JSON.parse(text) as Partial<BackupManifest>;
	if (value.format !== 'podium-backup' || value.version !== 1) {
		throw new UsageError('This file is not a Podium backup (or one of a newer format).');
	}
	if (value.kind !== 'embedded' && value.kind !== 'postgres') {
		throw new UsageError(`Unknown kind of backup: ${String(value.kind)}.`);
	}
	return value as BackupManifest;
}

/** A refusal with a message for the operator; the scripts print it without a stack. */
export class UsageError extends Error {}

/** Runs a command (tar, pg_dump, pg_restore); rejects with its stderr when it fails. */
export function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-10_000);
		});
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code === 0) resolve();
			else reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`));
		});
	});
}

/** Entry point of a script: a UsageError becomes a message and exit code 1. */
export function main(task: (args: string[]) => Promise<string>): void {
	task(process.argv.slice(2)).then(
		(message) => console.log(message),
		(error: unknown) => {
			console.error(error instanceof UsageError ? error.message : error);
			process.exitCode = 1;
		}
	);
}
