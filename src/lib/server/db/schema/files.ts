import { customType, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * Uploaded bytes, addressed by their SHA-256: the same paper uploaded twice is one row,
 * and a hash in a URL can be cached forever.
 */
export const files = pgTable('files', {
	sha256: text('sha256').primaryKey(),
	size: integer('size').notNull(),
	contentType: text('content_type').notNull(),
	bytes: bytea('bytes').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});
