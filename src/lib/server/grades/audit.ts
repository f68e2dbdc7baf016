import type { Executor } from '$lib/server/db';
import { auditLog } from '$lib/server/db/schema';
import { newId } from '$lib/server/ids';

/** One audit-log row, in the transaction of the change it records. */
export async function audit(
	tx: Executor,
	entry: {
		courseId: string;
		actorId: string;
		action: string;
		subjectType: string;
		subjectId: string;
		before?: unknown;
		after?: unknown;
	}
): Promise<void> {
	await tx.insert(auditLog).values({ id: newId(), ...entry });
}
