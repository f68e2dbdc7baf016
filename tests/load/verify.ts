/**
 * After the run, with the app stopped: opens the database directly and counts what the
 * virtual users wrote against what the app acknowledged.
 *
 * Each write carries a marker: the body of an annotation or reply, the summary of a
 * critique ("load <vu>-<n>"), or for a vote the voter and the annotation. A write is
 * - acked: the app answered success; its marker must be present exactly once;
 * - refused: the app answered with a refusal (4xx), so nothing was written: absent;
 * - unknown: no success, but the write may have committed before the failure (a 5xx while
 *   the database went away, a timeout, a lost connection): present at most once.
 * Anything with a load marker that matches no write is an unexpected write.
 */
import path from 'node:path';

export type WriteState = 'acked' | 'refused' | 'unknown';

export interface Write {
	kind: 'annotate' | 'reply' | 'vote' | 'critique draft' | 'critique submit';
	/** Body or summary text, or "<email> <annotationId>" for a vote. */
	marker: string;
	state: WriteState;
	/** "<email> <lectureId>" of a critique write: later writes to it replace the earlier. */
	critique?: string;
	/** The new annotation's id, when the app answered it, and its paper. */
	id?: string;
	paperId?: string;
}

export interface Problem {
	what: string;
	marker: string;
	state: WriteState | 'none';
	found: number;
}

export interface Verdict {
	counts: Record<WriteState, number>;
	/** Unknown writes that did and did not reach the database. */
	unknownPresent: number;
	unknownAbsent: number;
	problems: Problem[];
	/** Rows checked, per table. */
	rows: Record<string, number>;
}

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Target {
	/** PostgreSQL URL, or the embedded data folder. */
	url?: string;
	dataDir?: string;
}

async function openQuery(target: Target): Promise<{ query: Query; close(): Promise<void> }> {
	if (target.url) {
		const { default: postgres } = await import('postgres');
		const sql = postgres(target.url, { max: 1, onnotice: () => {} });
		return {
			query: async (text, params = []) =>
				(await sql.unsafe(text, params as never[])) as unknown as Record<string, unknown>[],
			close: () => sql.end({ timeout: 5 })
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(path.join(target.dataDir!, 'pglite'));
	return {
		query: async (text, params = []) =>
			(await db.query<Record<string, unknown>>(text, params)).rows,
		close: () => db.close()
	};
}

const LOAD_EMAIL = 'load-%@example.org';

export async function verify(target: Target, writes: Write[]): Promise<Verdict> {
	const { query, close } = await openQuery(target);
	try {
		const verdict: Verdict = {
			counts: { acked: 0, refused: 0, unknown: 0 },
			unknownPresent: 0,
			unknownAbsent: 0,
			problems: [],
			rows: {}
		};
		for (const w of writes) verdict.counts[w.state]++;
		const check = (what: string, expected: Write[], found: Map<string, number>) => {
			const byMarker = new Map(expected.map((w) => [w.marker, w]));
			for (const w of expected) {
				const n = found.get(w.marker) ?? 0;
				const fine = w.state === 'acked' ? n === 1 : w.state === 'refused' ? n === 0 : n <= 1;
				if (!fine) verdict.problems.push({ what, marker: w.marker, state: w.state, found: n });
				if (w.state === 'unknown') {
					if (n > 0) verdict.unknownPresent++;
					else verdict.unknownAbsent++;
				}
			}
			for (const [marker, n] of found) {
				if (!byMarker.has(marker)) verdict.problems.push({ what, marker, state: 'none', found: n });
			}
		};
		const tally = (rows: Record<string, unknown>[], key: string) => {
			const found = new Map<string, number>();
			for (const r of rows) found.set(String(r[key]), (found.get(String(r[key])) ?? 0) + 1);
			return found;
		};

		// Annotations and replies, each with the one activity row written in its transaction.
		const annotations = await query(
			`select a.body, a.parent_id is not null as reply,
				(select count(*)::int from activity x where x.subject_id = a.id
					and x.kind in ('annotation_created', 'reply_created')) as activity
			 from annotations a where a.body like 'load %'`
		);
		verdict.rows.annotations = annotations.length;
		check(
			'annotation or reply',
			writes.filter((w) => w.kind === 'annotate' || w.kind === 'reply'),
			tally(annotations, 'body')
		);
		for (const a of annotations.filter((a) => a.activity !== 1)) {
			verdict.problems.push({
				what: `activity rows of the annotation (${a.activity})`,
				marker: String(a.body),
				state: 'none',
				found: Number(a.activity)
			});
		}

		// Votes, each with its "vote received" activity row.
		const votes = await query(
			`select u.email || ' ' || v.annotation_id as marker,
				(select count(*)::int from activity x where x.subject_id = v.annotation_id
					and x.actor_id = v.user_id and x.kind = 'vote_received') as activity
			 from annotation_votes v join users u on u.id = v.user_id
			 where u.email like $1`,
			[LOAD_EMAIL]
		);
		verdict.rows.votes = votes.length;
		check(
			'vote',
			writes.filter((w) => w.kind === 'vote'),
			tally(votes, 'marker')
		);
		for (const v of votes.filter((v) => v.activity !== 1)) {
			verdict.problems.push({
				what: `vote_received activity rows (${v.activity})`,
				marker: String(v.marker),
				state: 'none',
				found: Number(v.activity)
			});
		}

		// Every submission is a version of its own; drafts overwrite each other.
		const versions = await query(
			`select cv.answers->>'summary' as marker from critique_versions cv
			 join critiques c on c.id = cv.critique_id join users u on u.id = c.author_id
			 where u.email like $1`,
			[LOAD_EMAIL]
		);
		verdict.rows.critiqueVersions = versions.length;
		check(
			'critique version',
			writes.filter((w) => w.kind === 'critique submit'),
			tally(versions, 'marker')
		);

		// A critique holds the last acknowledged write, or an unknown one: a write the client
		// gave up on may still be carried out after later ones.
		const critiques = await query(
			`select u.email || ' ' || c.lecture_id as critique, c.answers->>'summary' as marker
			 from critiques c join users u on u.id = c.author_id where u.email like $1`,
			[LOAD_EMAIL]
		);
		verdict.rows.critiques = critiques.length;
		const current = new Map(critiques.map((c) => [String(c.critique), String(c.marker)]));
		const perCritique = new Map<string, Write[]>();
		for (const w of writes.filter((w) => w.critique && w.state !== 'refused')) {
			perCritique.set(w.critique!, [...(perCritique.get(w.critique!) ?? []), w]);
		}
		for (const [critique, list] of perCritique) {
			const lastAcked = list.findLastIndex((w) => w.state === 'acked');
			const allowed = list
				.filter((w, i) => i === lastAcked || w.state === 'unknown')
				.map((w) => w.marker);
			const now = current.get(critique);
			const fine = now === undefined ? lastAcked < 0 : allowed.includes(now);
			if (!fine) {
				verdict.problems.push({
					what: `current critique ${critique} (holds ${now ?? 'nothing'})`,
					marker: list[lastAcked]?.marker ?? list[0].marker,
					state: lastAcked >= 0 ? 'acked' : 'unknown',
					found: now === undefined ? 0 : 1
				});
			}
		}
		for (const [critique, marker] of current) {
			if (!perCritique.has(critique)) {
				verdict.problems.push({ what: 'critique', marker, state: 'none', found: 1 });
			}
		}
		return verdict;
	} finally {
		await close();
	}
}
