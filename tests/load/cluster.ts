import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../e2e/server-process';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * PostgreSQL refuses to run as root: as root, its programs run as the `postgres` system
 * user, which then has to own the cluster's folder.
 */
function runAs(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error('Running as root needs the `postgres` system user to start a PostgreSQL.');
	}
	return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function run(program: string, args: string[], options: SpawnOptions = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(BIN, program), args, {
			...runAs(),
			...options,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout?.on('data', (c: Buffer) => (output += c));
		child.stderr?.on('data', (c: Buffer) => (output += c));
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0
				? resolve(output)
				: reject(new Error(`${program} ${args.join(' ')} failed (exit ${code}):\n${output}`))
		);
	});
}

/**
 * A throwaway PostgreSQL 15 server of its own (initdb into a temporary folder, on a free
 * port), so that a fault test can restart it without touching the machine's shared server.
 */
export class Cluster {
	private constructor(
		readonly dir: string,
		readonly port: number
	) {}

	get dataDir(): string {
		return path.join(this.dir, 'data');
	}

	/** postgres:// URL of `database` on this server (user postgres, trust). */
	url(database = 'postgres'): string {
		return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
	}

	static async start(): Promise<Cluster> {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'podium-load-pg-'));
		const owner = runAs();
		if (owner) chownSync(dir, owner.uid, owner.gid);
		const cluster = new Cluster(dir, await freePort());
		try {
			await run('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
			await cluster.pgCtl('start');
		} catch (error) {
			cluster.remove();
			throw error;
		}
		return cluster;
	}

	private pgCtl(command: 'start' | 'restart' | 'stop'): Promise<string> {
		const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
		const args = [
			'-D',
			this.dataDir,
			'-w',
			'-t',
			'60',
			'-m',
			'fast',
			'-l',
			path.join(this.dir, 'log')
		];
		return run('pg_ctl', [...args, '-o', options, command]);
	}

	/** `pg_ctl restart -m fast`: ends every connection, rolls back open transactions. */
	restart(): Promise<string> {
		return this.pgCtl('restart');
	}

	async stop(): Promise<void> {
		await this.pgCtl('stop');
	}

	remove(): void {
		rmSync(this.dir, { recursive: true, force: true });
	}
}
