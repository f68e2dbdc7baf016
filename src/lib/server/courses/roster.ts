import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { error } from '@sveltejs/kit';
import { db, type Executor } from '$lib/server/db';
import { memberships, rosterEntries, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { createOnce, InputError } from '$lib/server/forms';
import { newSecret } from '$lib/server/ids';
import { parseRoster, type RosterProblem } from '$lib/courses/roster-csv';
import { isStaff, type Role } from '$lib/courses/roles';
import { forgetAccess, requireInstructor, requireMember } from './access';

export interface Member {
	userId: string;
	name: string;
	/** Only instructors and TAs see the roster's emails. */
	email: string | null;
	role: Role;
	joinedAt: Date;
}

export async function listMembers(actor: SessionUser, courseId: string): Promise<Member[]> {
	const { role } = await requireMember(actor, courseId);
	const rows = await db()
		.select({
			userId: users.id,
			name: users.name,
			email: users.email,
			role: memberships.role,
			joinedAt: memberships.joinedAt
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.courseId, courseId))
		.orderBy(asc(memberships.role), asc(users.name));
	const showEmails = isStaff(role);
	return rows.map((r) => ({ ...r, email: showEmails ? r.email : null }));
}

/** Roster lines still waiting for their person to sign up (staff only). */
export async function listPendingRoster(actor: SessionUser, courseId: string) {
	const { role } = await requireMember(actor, courseId);
	if (!isStaff(role)) return [];
	return db()
		.select({ email: rosterEntries.email, name: rosterEntries.name, role: rosterEntries.role })
		.from(rosterEntries)
		.where(eq(rosterEntries.courseId, courseId))
		.orderBy(asc(rosterEntries.name));
}

async function instructorCount(executor: Executor, courseId: string): Promise<number> {
	const [row] = await executor
		.select({ n: count() })
		.from(memberships)
		.where(and(eq(memberships.courseId, courseId), eq(memberships.role, 'instructor')));
	return row.n;
}

async function targetMember(executor: Executor, courseId: string, userId: string) {
	const [member] = await executor
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)));
	if (!member) error(404, 'That person is not a member of this course.');
	return member;
}

export async function changeRole(
	actor: SessionUser,
	courseId: string,
	userId: string,
	role: Role
): Promise<void> {
	await db().transaction(async (tx) => {
		await requireInstructor(actor, courseId, tx);
		const member = await targetMember(tx, courseId, userId);
		if (
			member.role === 'instructor' &&
			role !== 'instructor' &&
			(await instructorCount(tx, courseId)) <= 1
		) {
			throw new InputError({
				role: 'A course needs at least one instructor; make someone else instructor first.'
			});
		}
		await tx
			.update(memberships)
			.set({ role })
			.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)));
	});
	// The page reloads in this same request; it must see the new role.
	forgetAccess(actor);
}

/** Removes a member; what they wrote in the course stays. */
export async function removeMember(
	actor: SessionUser,
	courseId: string,
	userId: string
): Promise<void> {
	await db().transaction(async (tx) => {
		await requireInstructor(actor, courseId, tx);
		const member = await targetMember(tx, courseId, userId);
		if (member.role === 'instructor' && (await instructorCount(tx, courseId)) <= 1) {
			throw new InputError({ userId: 'The last instructor cannot be removed.' });
		}
		await tx
			.delete(memberships)
			.where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)));
	});
	forgetAccess(actor);
}

export interface RosterImport {
	enrolled: number;
	pending: number;
	alreadyMembers: number;
}

/** Roster lines that failed, carried back to the form so the instructor can decide. */
export class RosterProblems extends InputError {
	constructor(
		public readonly problems: RosterProblem[],
		public readonly validCount: number
	) {
		super({ csv: `${problems.length} line(s) of the roster cannot be read.` });
	}
}

/**
 * Enrolls the people of a pasted roster: those with an account at once, the others
 * when they sign up with that email. With malformed lines nothing is imported unless
 * the instructor asked for only the good lines.
 */
export async function importRoster(
	actor: SessionUser,
	courseId: string,
	input: { csv: string; role: Role; onlyValid: boolean },
	submission?: string
): Promise<RosterImport> {
	await requireInstructor(actor, courseId);
	const { entries, problems } = parseRoster(input.csv);
	if (problems.length > 0 && !input.onlyValid) throw new RosterProblems(problems, entries.length);
	if (entries.length === 0)
		throw new InputError({ csv: 'The roster has no line that can be imported.' });

	// A resent import answers with the first one's counts, not "all already members".
	return createOnce(actor, submission, async (tx) => {
		const emails = entries.map((e) => e.email);
		const existing = await tx
			.select({ id: users.id, email: users.email })
			.from(users)
			.where(inArray(users.email, emails));
		const userByEmail = new Map(existing.map((u) => [u.email, u.id]));
		const result: RosterImport = { enrolled: 0, pending: 0, alreadyMembers: 0 };
		for (const entry of entries) {
			const role = entry.role ?? input.role;
			const userId = userByEmail.get(entry.email);
			if (userId) {
				const inserted = await tx
					.insert(memberships)
					// A newcomer has seen none of the course's announcements: all of them are new.
					.values({
						courseId,
						userId,
						role,
						calendarToken: newSecret(),
						announcementsSeenAt: new Date(0)
					})
					.onConflictDoNothing()
					.returning({ userId: memberships.userId });
				if (inserted.length > 0) result.enrolled++;
				else result.alreadyMembers++;
			} else {
				await tx
					.insert(rosterEntries)
					.values({ courseId, email: entry.email, name: entry.name, role })
					.onConflictDoUpdate({
						target: [rosterEntries.courseId, rosterEntries.email],
						set: { name: entry.name, role }
					});
				result.pending++;
			}
		}
		return result;
	});
}

/** Called inside the sign-up transaction: the new account joins every course that listed it. */
export async function enrollFromRoster(
	tx: Executor,
	user: { id: string; email: string }
): Promise<void> {
	const pending = await tx.select().from(rosterEntries).where(eq(rosterEntries.email, user.email));
	for (const entry of pending) {
		await tx
			.insert(memberships)
			.values({
				courseId: entry.courseId,
				userId: user.id,
				role: entry.role,
				calendarToken: newSecret(),
				announcementsSeenAt: new Date(0)
			})
			.onConflictDoNothing();
	}
	if (pending.length > 0) await tx.delete(rosterEntries).where(eq(rosterEntries.email, user.email));
}

export async function removePendingRosterEntry(
	actor: SessionUser,
	courseId: string,
	email: string
): Promise<void> {
	await requireInstructor(actor, courseId);
	await db()
		.delete(rosterEntries)
		.where(and(eq(rosterEntries.courseId, courseId), eq(rosterEntries.email, email)));
}
