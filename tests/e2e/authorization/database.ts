import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { startServer, type ServerProcess } from '../server-process';

/**
 * Rows written regardless of what anyone asks, left out of the dumps: the session's
 * sliding expiry is renewed by every request that carries the cookie, sign-in throttling
 * counts attempts per address, and the server reminds students of critiques due within
 * 48 hours when it starts (and every ten minutes). Everything else must stay as it was
 * after a refusal.
 */
const SKIPPED: Record<string, string | null> = {
	sessions: null,
	login_throttles: null,
	notifications: "kind <> 'deadline'"
};

/**
 * Runs `read` on the server's data folder while no server runs: the embedded database
 * belongs to one process at a time (two lose writes), so the server is stopped first and
 * a new one is started on the same folder and port afterwards.
 */
export async function withServerStopped<T>(
	server: ServerProcess,
	read: (db: PGlite) => Promise<T>
): Promise<{ server: ServerProcess; result: T }> {
	const exit = await server.stop();
	if (exit.code !== 0) throw new Error(`The server exited with ${exit.code}:\n${server.output}`);
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(path.join(server.options.dataDir, 'pglite'));
	let result: T;
	try {
		result = await read(db);
	} finally {
		await db.close();
	}
	const restarted = await startServer({
		...server.options,
		env: { ...server.options.env, PODIUM_DEMO: 'off' }
	});
	return { server: restarted, result };
}

/** Every row of every table but the bookkeeping ones, as sorted text, table by table. */
export async function dumpTables(db: PGlite): Promise<Record<string, string[]>> {
	const tables = await db.query<{ name: string }>(
		`select table_name as name from information_schema.tables
		 where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
	);
	const dump: Record<string, string[]> = {};
	for (const { name } of tables.rows) {
		const filter = name in SKIPPED ? SKIPPED[name] : 'true';
		if (filter === null) continue;
		const rows = await db.query<{ row: string }>(
			`select t::text as row from "${name}" t where ${filter}`
		);
		dump[name] = rows.rows.map((r) => r.row).sort();
	}
	return dump;
}

/** What differs between two dumps: rows gone and rows new, per table. */
export function dumpDifferences(
	before: Record<string, string[]>,
	after: Record<string, string[]>
): string[] {
	const differences: string[] = [];
	for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
		const was = new Set(before[table] ?? []);
		const is = new Set(after[table] ?? []);
		for (const row of was) if (!is.has(row)) differences.push(`${table}: - ${row}`);
		for (const row of is) if (!was.has(row)) differences.push(`${table}: + ${row}`);
	}
	return differences;
}
