import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import * as s from '$lib/server/db/schema';

/**
 * What a course export holds, table by table, in an order where every row's references
 * come before it (so the import inserts in this order). `by` is the column that ties a row
 * to the course, directly or through a table exported before it.
 */
export interface TransferTable {
	name: string;
	table: PgTable;
	by: { column: string; through?: string };
	/** Secrets of the original course: a new course gets its own. */
	secrets?: string[];
	/** A column pointing at another row of the same table (replies). */
	parent?: string;
}

const course = (name: string, table: PgTable, extra: Partial<TransferTable> = {}) => ({
	name,
	table,
	by: { column: 'courseId' },
	...extra
});
const under = (name: string, table: PgTable, column: string, through: string) => ({
	name,
	table,
	by: { column, through }
});

export const TRANSFER_TABLES: TransferTable[] = [
	{ name: 'courses', table: s.courses, by: { column: 'id' }, secrets: ['joinCode', 'inviteToken'] },
	course('memberships', s.memberships, { secrets: ['calendarToken'] }),
	course('rosterEntries', s.rosterEntries),
	course('announcements', s.announcements),
	course('lectures', s.lectures),
	under('readings', s.readings, 'lectureId', 'lectures'),
	under('lecturePresenters', s.lecturePresenters, 'lectureId', 'lectures'),
	course('papers', s.papers),
	under('paperPages', s.paperPages, 'paperId', 'papers'),
	course('annotations', s.annotations, { parent: 'parentId' }),
	under('annotationRevisions', s.annotationRevisions, 'annotationId', 'annotations'),
	under('annotationVotes', s.annotationVotes, 'annotationId', 'annotations'),
	course('decks', s.decks),
	under('deckRevisions', s.deckRevisions, 'deckId', 'decks'),
	course('deckImages', s.deckImages),
	under('deckCitations', s.deckCitations, 'deckId', 'decks'),
	course('talks', s.talks),
	course('talkQuestions', s.talkQuestions),
	under('talkQuestionVotes', s.talkQuestionVotes, 'questionId', 'talkQuestions'),
	course('critiqueForms', s.critiqueForms),
	course('critiqueSettings', s.critiqueSettings),
	course('critiques', s.critiques),
	under('critiqueVersions', s.critiqueVersions, 'critiqueId', 'critiques'),
	under('critiqueCitations', s.critiqueCitations, 'critiqueId', 'critiques'),
	{ ...under('critiqueReplies', s.critiqueReplies, 'critiqueId', 'critiques'), parent: 'parentId' },
	under('critiqueVotes', s.critiqueVotes, 'critiqueId', 'critiques'),
	course('participationRules', s.participationRules),
	course('participationAdjustments', s.participationAdjustments),
	course('gradeSettings', s.gradeSettings),
	course('presentationGrades', s.presentationGrades),
	under('presentationAdjustments', s.presentationAdjustments, 'lectureId', 'lectures'),
	course('miniProjects', s.miniProjects),
	under('miniProjectSubmissions', s.miniProjectSubmissions, 'miniProjectId', 'miniProjects'),
	under('miniProjectGrades', s.miniProjectGrades, 'miniProjectId', 'miniProjects'),
	course('activity', s.activity),
	course('auditLog', s.auditLog)
];

/** The exported columns of a table: all but its secrets. */
export function exportedColumns(spec: TransferTable): Record<string, PgColumn> {
	return Object.fromEntries(
		Object.entries(getTableColumns(spec.table)).filter(([key]) => !spec.secrets?.includes(key))
	);
}

/** The columns of a table with a foreign key to `target` (users, files). */
export function columnsReferencing(spec: TransferTable, target: PgTable): string[] {
	const columns: Record<string, PgColumn> = getTableColumns(spec.table);
	const byName = new Map(Object.entries(columns).map(([key, column]) => [column.name, key]));
	return getTableConfig(spec.table)
		.foreignKeys.map((fk) => fk.reference())
		.filter((ref) => ref.foreignTable === target)
		.map((ref) => byName.get(ref.columns[0].name)!);
}
