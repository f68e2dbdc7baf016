import type { Executor } from '$lib/server/db';
import { activity } from '$lib/server/db/schema';
import { newId } from '$lib/server/ids';

/** What earns (or withdraws) participation; scoring reads nothing else. */
export type ActivityKind =
	| 'annotation_created'
	| 'reply_created'
	| 'annotation_deleted'
	| 'vote_received'
	| 'vote_withdrawn'
	| 'endorsement_received'
	| 'endorsement_withdrawn'
	| 'hidden_by_staff'
	| 'unhidden_by_staff'
	| 'deck_revised'
	/** The cited annotation's author earns it; the actor is who cited it. */
	| 'annotation_cited'
	| 'talk_started'
	| 'question_asked'
	/** The presenter who marked a live question answered earns it; details name the asker. */
	| 'question_answered'
	| 'critique_submitted'
	/** An edit after submission (a new version); earns nothing by itself. */
	| 'critique_revised'
	| 'critique_reply_created'
	/** A presenter's answer "as the presenters" to a critique. */
	| 'critique_answered';

export interface ActivityInput {
	courseId: string;
	userId: string;
	actorId?: string | null;
	lectureId?: string | null;
	kind: ActivityKind;
	subjectType: 'annotation' | 'deck' | 'talk' | 'question' | 'critique' | 'critique_reply';
	subjectId: string;
	details?: Record<string, unknown>;
	/** Defaults to now; set when the action's own time is given (late is judged on it). */
	occurredAt?: Date;
}

/** Appends one activity row; pass the action's transaction so both commit or neither. */
export async function recordActivity(tx: Executor, input: ActivityInput): Promise<void> {
	await tx.insert(activity).values({ id: newId(), details: {}, ...input });
}
