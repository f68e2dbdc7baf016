// Full participation recompute (run by tests/bench/recompute.js through tsx, so it can use
// the app's own scoring code): a course of 300 students, 12 lectures and 50,000 activity
// rows, scored in one pass for the whole course against 300 passes of one student each,
// on the embedded database and, when DATABASE_URL is set, on PostgreSQL (a database is
// created and dropped). Prints one JSON line per backend on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index';
import { migrate } from '../../src/lib/server/db/migrate';
import { scoreCourse } from '../../src/lib/server/participation/score';
import { DEFAULT_RULES } from '../../src/lib/participation/rules';

const STUDENTS = Number(process.env.BENCH_RECOMPUTE_STUDENTS ?? 300);
const LECTURES = Number(process.env.BENCH_RECOMPUTE_LECTURES ?? 12);
const ROWS = Number(process.env.BENCH_RECOMPUTE_ROWS ?? 50_000);
const RUNS = Number(process.env.BENCH_RECOMPUTE_RUNS ?? 3);
const COURSE = 'bench-course';

/** The course, its people and lectures (all held), then the activity in one INSERT. */
async function seed(handle: DatabaseHandle) {
	const db = handle.db;
	await db.execute(sql`
insert into users (id, email, name, password_hash)
select 'u' || g, 'student' || g || '@example.org', 'Student ' || g, 'x'
from generate_series(0, ${STUDENTS - 1}) g`);
	await db.execute(sql`
insert into courses (id, title, time_zone, join_code, invite_token)
values (${COURSE}, 'Bench course', 'Europe/Berlin', 'BENCH', 'bench-invite')`);
	await db.execute(sql`
insert into memberships (course_id, user_id, role, calendar_token)
select ${COURSE}, 'u' || g, 'student', 'cal' || g from generate_series(0, ${STUDENTS - 1}) g`);
	await db.execute(sql`
insert into lectures (id, course_id, number, title, starts_at, ends_at)
select 'l' || g, ${COURSE}, g + 1, 'Lecture ' || (g + 1),
	now() - (${LECTURES} - g) * interval '7 days',
	now() - (${LECTURES} - g) * interval '7 days' + interval '2 hours'
from generate_series(0, ${LECTURES - 1}) g`);
	// A mix like a real term: mostly annotations and replies of every length (some copies,
	// some too short), votes and their withdrawals, critiques (a few late), questions,
	// endorsements, citations and staff hiding a few items.
	await db.execute(sql`
insert into activity (id, course_id, user_id, actor_id, lecture_id, kind, subject_type,
	subject_id, details, occurred_at)
select 'a' || g, ${COURSE}, 'u' || (g % ${STUDENTS}), 'u' || ((g * 7 + 3) % ${STUDENTS}),
	'l' || (g % ${LECTURES}), k.kind, k.subject_type,
	case when k.kind in ('vote_received', 'vote_withdrawn', 'endorsement_received',
		'hidden_by_staff', 'annotation_cited')
		then 'a' || (g % 20000) else 'a' || g end,
	case when k.kind in ('annotation_created', 'reply_created', 'critique_submitted',
		'question_asked')
		then jsonb_build_object('length', (g * 37) % 600,
			'fingerprint', md5(((g * 13) % (${ROWS} / 2))::text),
			'late', k.kind = 'critique_submitted' and g % 9 = 0)
		else '{}'::jsonb end,
	now() - ((${LECTURES} - g % ${LECTURES}) * interval '7 days') + (g % 600) * interval '1 minute'
from generate_series(1, ${ROWS}) g
cross join lateral (
	select case
		when g % 100 < 40 then 'annotation_created'
		when g % 100 < 60 then 'reply_created'
		when g % 100 < 72 then 'vote_received'
		when g % 100 < 75 then 'vote_withdrawn'
		when g % 100 < 81 then 'critique_submitted'
		when g % 100 < 90 then 'question_asked'
		when g % 100 < 94 then 'endorsement_received'
		when g % 100 < 98 then 'annotation_cited'
		else 'hidden_by_staff'
	end as kind
) kinds
cross join lateral (
	select kinds.kind, case kinds.kind
		when 'critique_submitted' then 'critique'
		when 'question_asked' then 'question'
		else 'annotation'
	end as subject_type
) k`);
	await db.execute(sql`analyze`);
}

async function time(run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name: string, handle: DatabaseHandle) {
	await seed(handle);
	const db = handle.db;
	const items = await scoreCourse(db, COURSE, DEFAULT_RULES); // warm-up, and a sanity check
	if (items.length === 0) throw new Error('the seeded course scored no items');
	const whole: number[] = [];
	const each: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		whole.push(await time(() => scoreCourse(db, COURSE, DEFAULT_RULES)));
		each.push(
			await time(async () => {
				for (let s = 0; s < STUDENTS; s++) await scoreCourse(db, COURSE, DEFAULT_RULES, `u${s}`);
			})
		);
	}
	const [wholeMs, eachMs] = [median(whole), median(each)];
	console.log(
		JSON.stringify({ backend: name, items: items.length, wholeMs, eachMs, ratio: eachMs / wholeMs })
	);
}

async function main() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'podium-recompute-'));
	try {
		const embedded = await openDatabase({ dataDir: dir });
		try {
			await migrate(embedded);
			await measure('embedded', embedded);
		} finally {
			await embedded.close();
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) return;
	const name = `podium_recompute_${process.pid}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	try {
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const pg = await openDatabase({ url: url.toString() });
		try {
			await migrate(pg, url.toString());
			await measure('postgres', pg);
		} finally {
			await pg.close();
		}
	} finally {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end({ timeout: 5 });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
