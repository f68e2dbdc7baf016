import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { columnsReferencing, TRANSFER_TABLES } from '$lib/server/transfer/tables';

// Not part of a course: accounts and their sessions (people travel as name and email),
// sign-in throttling, files (travel with the rows that use them), and each member's
// notifications (links into the old course, rebuilt by new activity), and the one-time
// tokens of forms already sent (they guard a page view here, not the course).
const LEFT_OUT = [
	schema.users,
	schema.sessions,
	schema.loginThrottles,
	schema.files,
	schema.notifications,
	schema.formSubmissions
];

describe('the tables of a course export', () => {
	it('cover every table of the schema that is not deliberately left out', () => {
		const all = (Object.values(schema) as unknown[]).filter((value): value is PgTable =>
			is(value, PgTable)
		);
		const covered = new Set<PgTable>([...TRANSFER_TABLES.map((t) => t.table), ...LEFT_OUT]);
		expect(all.filter((table) => !covered.has(table)).map((table) => getTableName(table))).toEqual(
			[]
		);
	});

	it('find the columns naming people and files by their foreign keys', () => {
		const spec = (name: string) => TRANSFER_TABLES.find((t) => t.name === name)!;
		expect(columnsReferencing(spec('annotations'), schema.users).sort()).toEqual([
			'authorId',
			'endorsedBy',
			'hiddenBy'
		]);
		expect(columnsReferencing(spec('papers'), schema.files)).toEqual(['fileSha256']);
		expect(columnsReferencing(spec('lectures'), schema.users)).toEqual([]);
	});
});
