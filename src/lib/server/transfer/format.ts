import { z } from 'zod';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { ID_SHAPE } from '$lib/transfer/ids';
import { targetSchema } from '$lib/annotations/schemas';
import { critiqueFormSchema } from '$lib/critiques/forms';
import { rulesSchema } from '$lib/participation/rules';
import { rubricSchema } from '$lib/grades/rubric';
import { exportedColumns, TRANSFER_TABLES } from './tables';

export const COURSE_EXPORT_FORMAT = 'podium-course';
export const COURSE_EXPORT_VERSION = 1;

/** The only kinds of file Podium stores; anything else would be served as it claims to be. */
export const FILE_TYPES = [
	'application/pdf',
	'image/png',
	'image/jpeg',
	'image/gif',
	'image/webp'
] as const;

const id = z.string().regex(ID_SHAPE, 'not a Podium id');
const instant = z.iso.datetime({ offset: true });

/**
 * JSON columns that pages read as a particular shape: the file must hold that shape (as the
 * app's own forms check it), not just any JSON. An empty rubric means the default one.
 */
const JSON_SHAPES: Record<string, z.ZodType> = {
	'annotations.target': targetSchema,
	'critiqueForms.fields': critiqueFormSchema,
	'critiques.fields': critiqueFormSchema,
	'critiqueVersions.fields': critiqueFormSchema,
	'participationRules.rules': rulesSchema,
	'gradeSettings.rubric': z.union([rubricSchema, z.array(z.never()).length(0)]),
	'presentationGrades.rubric': rubricSchema
};

/** What one column may hold in the file, from the column's own type in the schema. */
function columnSchema(table: string, key: string, column: PgColumn): z.ZodType {
	let schema: z.ZodType;
	switch (column.columnType) {
		case 'PgText':
			schema = key === 'id' ? id : z.string();
			break;
		case 'PgInteger':
			schema = z.int();
			break;
		case 'PgDoublePrecision':
		case 'PgReal':
			schema = z.number();
			break;
		case 'PgBoolean':
			schema = z.boolean();
			break;
		case 'PgTimestamp':
			schema = instant;
			break;
		case 'PgJsonb': {
			const shape = JSON_SHAPES[`${table}.${key}`];
			schema = shape
				? z.json().refine((value) => shape.safeParse(value).success, {
						message: 'not the shape Podium stores here'
					})
				: z.json();
			break;
		}
		case 'PgEnumColumn':
			schema = z.enum((column as unknown as { enumValues: [string, ...string[]] }).enumValues);
			break;
		case 'PgArray':
			schema = z.array(z.string());
			break;
		default:
			throw new Error(`The course export does not know columns of type ${column.columnType}.`);
	}
	return column.notNull ? schema : schema.nullable();
}

const tables = z.strictObject(
	Object.fromEntries(
		TRANSFER_TABLES.map((spec) => [
			spec.name,
			z.array(
				z.strictObject(
					Object.fromEntries(
						Object.entries(exportedColumns(spec)).map(([key, column]) => [
							key,
							columnSchema(spec.name, key, column)
						])
					)
				)
			)
		])
	)
);

/** A course export as the file holds it (before ids are made new). */
export const courseExportSchema = z.strictObject({
	format: z.literal(COURSE_EXPORT_FORMAT),
	version: z.literal(COURSE_EXPORT_VERSION),
	exportedAt: instant,
	people: z.array(
		z.strictObject({ id, email: z.email().toLowerCase(), name: z.string().min(1).max(200) })
	),
	tables,
	files: z.array(
		z.strictObject({
			sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256'),
			contentType: z.enum(FILE_TYPES),
			base64: z.base64()
		})
	)
});

export type CourseExport = z.infer<typeof courseExportSchema>;
export type ExportRow = Record<string, unknown>;
