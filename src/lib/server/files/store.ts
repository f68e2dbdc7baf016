import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db, type Executor } from '$lib/server/db';
import { files } from '$lib/server/db/schema/files';

/** Bytes as the store returns them. */
export interface StoredFile {
	bytes: Uint8Array;
	contentType: string;
	size: number;
}

/**
 * Content-addressed file storage: a file is named by the SHA-256 (lowercase hex) of its bytes,
 * so the same bytes are stored once and a name never changes meaning (cache forever).
 * The default implementation keeps the bytes in PostgreSQL; another (object storage) can
 * implement the same interface.
 */
export interface FileStore {
	/**
	 * Stores `bytes` (idempotent: storing the same bytes again changes nothing and keeps the
	 * first content type). Pass a transaction as `executor` to store within it.
	 */
	put(
		bytes: Uint8Array,
		contentType: string,
		executor?: Executor
	): Promise<{ sha256: string; size: number }>;
	/** The file with this SHA-256, or null. */
	get(sha256: string, executor?: Executor): Promise<StoredFile | null>;
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Files in the `files` table. */
export class DatabaseFileStore implements FileStore {
	async put(bytes: Uint8Array, contentType: string, executor: Executor = db()) {
		const sha256 = sha256Hex(bytes);
		const size = bytes.byteLength;
		await executor
			.insert(files)
			.values({ sha256, size, contentType, bytes })
			.onConflictDoNothing({ target: files.sha256 });
		return { sha256, size };
	}

	async get(sha256: string, executor: Executor = db()): Promise<StoredFile | null> {
		if (!SHA256.test(sha256)) return null;
		const [row] = await executor
			.select({ bytes: files.bytes, contentType: files.contentType, size: files.size })
			.from(files)
			.where(eq(files.sha256, sha256))
			.limit(1);
		return row ?? null;
	}
}

export const fileStore: FileStore = new DatabaseFileStore();
