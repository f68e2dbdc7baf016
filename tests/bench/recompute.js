// The participation recompute part of `npm run bench` (BENCH_RECOMPUTE=0 skips it): runs
// tests/bench/recompute.ts through tsx, which scores a course of 300 students, 12 lectures
// and 50,000 activity rows in one pass against 300 single-student passes, on the embedded
// database and on PostgreSQL when DATABASE_URL is set. BENCH_RECOMPUTE_STUDENTS, _ROWS,
// _LECTURES and _RUNS (median of, default 3) change its size.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const recomputeEnabled = () => process.env.BENCH_RECOMPUTE !== '0';

/** Generous: seeding and 3 × 301 scoring passes on each backend. */
export const RECOMPUTE_BUDGET_MS = 20 * 60_000;

/** One row per backend: { backend, items, wholeMs, eachMs, ratio }. */
export function benchmarkRecompute() {
	console.log('\nParticipation recompute (one pass for the course vs one pass per student)');
	return new Promise((resolve, reject) => {
		const child = spawn(
			path.join(ROOT, 'node_modules', '.bin', 'tsx'),
			[path.join(ROOT, 'tests', 'bench', 'recompute.ts')],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
		);
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`the recompute benchmark exited with ${code}`));
			const rows = out
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => JSON.parse(line));
			for (const r of rows) console.log(`  ${recomputeLine(r)}`);
			resolve(rows);
		});
	});
}

export function recomputeLine(r) {
	return `${r.backend.padEnd(16)} whole course ${r.wholeMs.toFixed(0)} ms, 300 students one at a time ${r.eachMs.toFixed(0)} ms (${r.items} scored items): ${r.ratio.toFixed(1)}x faster in one pass`;
}
