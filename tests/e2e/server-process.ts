import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the server runs from here so that it finds `drizzle/`. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's Chromium: the tests drive it and never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Time zone of the server process; the browser (Asia/Tokyo) and courses use others. */
export const SERVER_TZ = 'America/Los_Angeles';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.unref();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface ServerOptions {
	/** Folder holding the built app (its index.js). */
	buildDir: string;
	dataDir: string;
	port: number;
	env?: Record<string, string>;
	/** The script node runs instead of `<buildDir>/index.js` (e.g. `npm start`'s). */
	script?: string;
}

/**
 * The environment of a Podium server under test: always the embedded database in
 * `dataDir` (a DATABASE_URL meant for other test projects must not leak in).
 */
function serverEnv(options: ServerOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const key of Object.keys(env)) {
		if (key === 'DATABASE_URL' || key.startsWith('VITEST') || key.startsWith('PODIUM_')) {
			delete env[key];
		}
	}
	return {
		...env,
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(options.port),
		ORIGIN: `http://127.0.0.1:${options.port}`,
		TZ: SERVER_TZ,
		PODIUM_DATA_DIR: options.dataDir,
		PODIUM_DEMO: 'off',
		// As `npm start` sets it: paper uploads are larger than adapter-node's 512 KB default.
		BODY_SIZE_LIMIT: '60M',
		...options.env
	};
}

/** A started `node <build>/index.js` process with its output kept for error messages. */
export class ServerProcess {
	readonly url: string;
	readonly child: ChildProcess;
	readonly exited: Promise<Exit>;
	#output = '';
	#exit: Exit | undefined;

	constructor(readonly options: ServerOptions) {
		this.url = `http://127.0.0.1:${options.port}`;
		this.child = spawn(
			process.execPath,
			[options.script ?? path.join(options.buildDir, 'index.js')],
			{
				cwd: ROOT,
				env: serverEnv(options),
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		const keep = (chunk: Buffer) => {
			this.#output = (this.#output + chunk.toString()).slice(-20_000);
		};
		this.child.stdout?.on('data', keep);
		this.child.stderr?.on('data', keep);
		this.exited = new Promise((resolve) => {
			this.child.once('exit', (code, signal) => {
				this.#exit = { code, signal };
				resolve(this.#exit);
			});
		});
	}

	/** Everything the process printed so far (the last 20,000 characters). */
	get output(): string {
		return this.#output;
	}

	get hasExited(): boolean {
		return this.#exit !== undefined;
	}

	/** Waits until GET /health answers 200; fails at once if the process exits. */
	async waitUntilHealthy(timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.#exit) {
				throw new Error(
					`The Podium server exited (code ${this.#exit.code}) before it was healthy:\n${this.#output}`
				);
			}
			try {
				const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
				if (response.ok) return;
			} catch {
				// Not listening yet.
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`The Podium server was not healthy within ${timeoutMs} ms:\n${this.#output}`);
	}

	/** Resolves with the exit, or null if the process still runs after `ms`. */
	async exitWithin(ms: number): Promise<Exit | null> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<null>((resolve) => {
			timer = setTimeout(() => resolve(null), ms);
		});
		try {
			return await Promise.race([this.exited, timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	/** SIGKILL, as a crash or the OOM killer ends it: no shutdown hooks run. */
	async kill(): Promise<Exit> {
		if (!this.#exit) this.child.kill('SIGKILL');
		return this.exited;
	}

	/**
	 * Sends SIGTERM and waits for the exit. A server that does not exit within `ms` is
	 * killed and reported as an error: a deploy that cannot stop it would hang.
	 */
	async stop(ms = 10_000): Promise<Exit> {
		if (this.#exit) return this.#exit;
		this.child.kill('SIGTERM');
		const exit = await this.exitWithin(ms);
		if (exit) return exit;
		this.child.kill('SIGKILL');
		await this.exited;
		throw new Error(`The Podium server did not exit within ${ms} ms of SIGTERM:\n${this.#output}`);
	}
}

/** Starts a server and waits until it is healthy (stopping it again if it never is). */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
	const server = new ServerProcess(options);
	try {
		await server.waitUntilHealthy();
	} catch (error) {
		if (!server.hasExited) server.child.kill('SIGKILL');
		throw error;
	}
	return server;
}
