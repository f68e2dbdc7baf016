import { gunzipSync, gzipSync } from 'node:zlib';
import { getTableColumns, inArray } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { db, type Transaction } from '$lib/server/db';
import { integrityViolation } from '$lib/server/db/errors';
import { files, memberships, users } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { NO_PASSWORD } from '$lib/server/auth/password';
import { forgetAccess, requireInstructor } from '$lib/server/courses/access';
import { fileStore, sha256Hex } from '$lib/server/files/store';
import { createOnce, InputError } from '$lib/server/forms';
import { newId, newJoinCode, newSecret } from '$lib/server/ids';
import { sanitizeHtml } from '$lib/server/markdown';
import { inspectPdf, PdfRejectedError } from '$lib/server/papers/inspect';
import { checkImage } from '$lib/decks/image-files';
import { parentsFirst, remapIds } from '$lib/transfer/ids';
import {
	COURSE_EXPORT_FORMAT,
	COURSE_EXPORT_VERSION,
	courseExportSchema,
	type CourseExport,
	type ExportRow
} from './format';
import { columnsReferencing, exportedColumns, TRANSFER_TABLES, type TransferTable } from './tables';

/** Everything of a course, read in one snapshot. Instructors only. */
export async function readCourse(actor: SessionUser, courseId: string): Promise<CourseExport> {
	await requireInstructor(actor, courseId);
	return db().transaction(
		async (tx) => {
			const tables: Record<string, ExportRow[]> = {};
			for (const spec of TRANSFER_TABLES) {
				const keys = spec.by.through
					? tables[spec.by.through].map((r) => r.id as string)
					: [courseId];
				const column = getTableColumns(spec.table)[spec.by.column];
				const rows =
					keys.length === 0
						? []
						: await tx.select(exportedColumns(spec)).from(spec.table).where(inArray(column, keys));
				// Dates as the file will hold them; a stable order makes two exports comparable.
				tables[spec.name] = (JSON.parse(JSON.stringify(rows)) as ExportRow[]).sort(byJson);
			}
			const userIds = collect(tables, users);
			const people =
				userIds.length === 0
					? []
					: await tx
							.select({ id: users.id, email: users.email, name: users.name })
							.from(users)
							.where(inArray(users.id, userIds));
			const shas = collect(tables, files);
			const stored =
				shas.length === 0
					? []
					: await tx
							.select({ sha256: files.sha256, contentType: files.contentType, bytes: files.bytes })
							.from(files)
							.where(inArray(files.sha256, shas));
			return {
				format: COURSE_EXPORT_FORMAT,
				version: COURSE_EXPORT_VERSION,
				exportedAt: new Date().toISOString(),
				people: people.sort((a, b) => a.email.localeCompare(b.email)),
				tables: tables as CourseExport['tables'],
				files: stored
					.map((f) => ({
						sha256: f.sha256,
						contentType: f.contentType as CourseExport['files'][number]['contentType'],
						base64: Buffer.from(f.bytes).toString('base64')
					}))
					.sort((a, b) => a.sha256.localeCompare(b.sha256))
			};
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/** The course as one gzip-compressed JSON file to download. */
export async function exportCourse(actor: SessionUser, courseId: string) {
	const document = await readCourse(actor, courseId);
	const title = (document.tables.courses[0]?.title as string) ?? 'course';
	const slug =
		title
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '') || 'course';
	return {
		fileName: `${slug}.podium-course.json.gz`,
		contentType: 'application/gzip',
		body: gzipSync(JSON.stringify(document))
	};
}

const byJson = (a: unknown, b: unknown) => {
	const x = JSON.stringify(a);
	const y = JSON.stringify(b);
	return x < y ? -1 : x > y ? 1 : 0;
};

/** Every distinct value of the columns that reference `target`, over all tables. */
function collect(tables: Record<string, ExportRow[]>, target: PgTable): string[] {
	const values = new Set<string>();
	for (const spec of TRANSFER_TABLES) {
		for (const key of columnsReferencing(spec, target)) {
			for (const row of tables[spec.name]) if (row[key] != null) values.add(row[key] as string);
		}
	}
	return [...values];
}

/** Reads an uploaded export (gzip or plain JSON); a broken or foreign file is an InputError. */
export function parseCourseFile(bytes: Uint8Array): CourseExport {
	const refuse = (why: string): never => {
		throw new InputError({ file: `This file is not a Podium course export: ${why}` });
	};
	let text: string;
	try {
		const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
		text = new TextDecoder('utf-8', { fatal: true }).decode(gzipped ? gunzipSync(bytes) : bytes);
	} catch {
		return refuse('it is neither JSON nor gzip-compressed JSON.');
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return refuse('it is not valid JSON.');
	}
	if ((value as { format?: unknown })?.format !== COURSE_EXPORT_FORMAT) {
		return refuse('it does not say it is one ("format": "podium-course").');
	}
	const parsed = courseExportSchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return refuse(`${issue.path.join('.') || 'the file'}: ${issue.message}.`);
	}
	return parsed.data;
}

/**
 * Checks what ties the rows together before anything is written: every row belongs to the
 * exported course, every reference to another row points into the file (an import can
 * never reach into another course), every file named is included. Returns the ids the
 * file defines.
 */
function checkReferences(document: CourseExport): Set<string> {
	const refuse = (why: string): never => {
		throw new InputError({ file: `The file does not hold together: ${why}` });
	};
	const { tables } = document;
	if (tables.courses.length !== 1) refuse('it must hold exactly one course.');
	const courseId = tables.courses[0].id as string;
	const defined = new Set<string>();
	const idsOf = new Map<string, Set<string>>();
	for (const spec of TRANSFER_TABLES) {
		const ids = new Set<string>();
		for (const row of tables[spec.name] as ExportRow[]) {
			if (typeof row.id !== 'string') continue;
			if (defined.has(row.id)) refuse(`the id ${row.id} is used twice.`);
			defined.add(row.id);
			ids.add(row.id);
		}
		idsOf.set(spec.name, ids);
	}
	const people = new Set(document.people.map((p) => p.id));
	if (people.size !== document.people.length) refuse('a person is listed twice.');
	if (new Set(document.people.map((p) => p.email)).size !== people.size) {
		refuse('two people have the same email.');
	}
	const shas = new Set(document.files.map((f) => f.sha256));
	for (const spec of TRANSFER_TABLES) {
		const userKeys = columnsReferencing(spec, users);
		const fileKeys = columnsReferencing(spec, files);
		const owners = spec.by.through ? idsOf.get(spec.by.through)! : new Set([courseId]);
		for (const row of tables[spec.name] as ExportRow[]) {
			if (!owners.has(row[spec.by.column] as string)) {
				refuse(`a row of ${spec.name} belongs to another course.`);
			}
			for (const [key, value] of Object.entries(row)) {
				if (value === null) continue;
				if (userKeys.includes(key)) {
					if (!people.has(value as string)) refuse(`${spec.name}.${key} names nobody listed.`);
				} else if (fileKeys.includes(key)) {
					if (!shas.has(value as string)) refuse(`${spec.name}.${key} names a file not included.`);
				} else if (key.endsWith('Id') && key !== 'subjectId' && !defined.has(value as string)) {
					refuse(`${spec.name}.${key} points at ${String(value)}, which is not in the file.`);
				}
			}
		}
	}
	for (const spec of TRANSFER_TABLES) {
		if (!spec.parent) continue;
		try {
			parentsFirst(tables[spec.name] as ExportRow[], spec.parent);
		} catch (error) {
			refuse(`${spec.name}: ${(error as Error).message}`);
		}
	}
	return defined;
}

/**
 * Checks each file as an upload is checked: its bytes match its hash, a PDF is one pdf.js
 * reads (in the same sandboxed worker as uploads), an image is of the type it claims.
 */
async function checkFiles(document: CourseExport): Promise<void> {
	await Promise.all(
		document.files.map(async (file) => {
			const bytes = Buffer.from(file.base64, 'base64');
			const which = `file ${file.sha256.slice(0, 12)}…`;
			if (sha256Hex(bytes) !== file.sha256) {
				throw new InputError({ file: `The bytes of ${which} do not match its hash.` });
			}
			if (file.contentType !== 'application/pdf') {
				const image = checkImage(bytes);
				if (!image.ok || image.type !== file.contentType) {
					throw new InputError({
						file: `${which} is not the ${file.contentType} image it claims.`
					});
				}
				return;
			}
			// The inspection queue bounds how many run at once.
			await inspectPdf(bytes).catch((error: unknown) => {
				if (!(error instanceof PdfRejectedError)) throw error;
				throw new InputError({ file: `${which} is not a PDF Podium accepts: ${error.message}` });
			});
		})
	);
}

/**
 * The accounts the file's people become: an account with the same email is that person;
 * for anyone else an account without a password is made, which its owner takes over by
 * signing up with that email. Their annotations, critiques and grades stay theirs.
 */
async function resolvePeople(tx: Transaction, people: CourseExport['people']) {
	const ids = new Map<string, string>();
	if (people.length === 0) return ids;
	const known = await tx
		.select({ id: users.id, email: users.email })
		.from(users)
		.where(
			inArray(
				users.email,
				people.map((p) => p.email)
			)
		);
	const byEmail = new Map(known.map((u) => [u.email, u.id]));
	const created = people
		.filter((p) => !byEmail.has(p.email))
		.map((p) => ({ id: newId(), email: p.email, name: p.name, passwordHash: NO_PASSWORD }));
	if (created.length > 0) await tx.insert(users).values(created);
	for (const p of created) byEmail.set(p.email, p.id);
	for (const p of people) ids.set(p.id, byEmail.get(p.email)!);
	return ids;
}

/** Values of one row as the database takes them: dates, new secrets, sanitized HTML. */
function toInsert(spec: TransferTable, row: ExportRow): ExportRow {
	const out: ExportRow = {};
	const columns: Record<string, PgColumn> = getTableColumns(spec.table);
	for (const [key, value] of Object.entries(row)) {
		const column = columns[key];
		if (value !== null && column.columnType === 'PgTimestamp') out[key] = new Date(value as string);
		else if (key.endsWith('Html') && typeof value === 'string') out[key] = sanitizeHtml(value);
		else if (key.endsWith('Html') && value !== null && typeof value === 'object') {
			out[key] = Object.fromEntries(
				Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? sanitizeHtml(v) : ''])
			);
		} else out[key] = value;
	}
	if (spec.name === 'courses')
		Object.assign(out, { joinCode: newJoinCode(), inviteToken: newSecret() });
	if (spec.name === 'memberships') out.calendarToken = newSecret();
	return out;
}

const CHUNK = 500;

/**
 * Creates a new course from an export, in one transaction: a broken file changes nothing.
 * The importer becomes an instructor of it. Returns the new course's id.
 */
export async function importCourse(
	actor: SessionUser,
	bytes: Uint8Array,
	submission?: string
): Promise<string> {
	const document = parseCourseFile(bytes);
	const defined = checkReferences(document);
	await checkFiles(document);
	// A form sent twice imports once: the repeat gets the first import's course.
	const courseId = await createOnce(actor, submission, async (tx) => {
		const map = await resolvePeople(tx, document.people);
		for (const id of defined) map.set(id, newId());
		const tables = remapIds(document.tables, map) as Record<string, ExportRow[]>;
		for (const file of document.files) {
			await fileStore.put(Buffer.from(file.base64, 'base64'), file.contentType, tx);
		}
		for (const spec of TRANSFER_TABLES) {
			let rows = tables[spec.name].map((row) => toInsert(spec, row));
			if (spec.parent) rows = parentsFirst(rows, spec.parent);
			for (let i = 0; i < rows.length; i += CHUNK) {
				await tx.insert(spec.table).values(rows.slice(i, i + CHUNK));
			}
		}
		const courseId = tables.courses[0].id as string;
		await tx
			.insert(memberships)
			.values({
				courseId,
				userId: actor.id,
				role: 'instructor',
				calendarToken: newSecret()
			})
			.onConflictDoUpdate({
				target: [memberships.courseId, memberships.userId],
				set: { role: 'instructor' }
			});
		return courseId;
	}).catch((error: unknown) => {
		const constraint = integrityViolation(error);
		if (!constraint) throw error;
		throw new InputError({
			file: `The file does not hold together: its rows break the rule ${constraint}.`
		});
	});
	forgetAccess(actor);
	return courseId;
}
