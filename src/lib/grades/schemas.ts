import { z } from 'zod';
import { optionalDateTime } from '$lib/lectures/schemas';
import { optionalText, trimmed } from '$lib/validation';
import { adjustmentIssue } from './rubric';

/** A number typed into a form; empty is refused with `message`. */
const typedNumber = (message: string) =>
	z.string({ error: message }).trim().min(1, message).transform(Number);

export const adjustmentSchema = z.object({
	userId: z.string().min(1, 'Choose a presenter.'),
	points: typedNumber('Enter the adjustment in percentage points.').refine(
		(v) => adjustmentIssue(v) === null,
		'Enter an adjustment from -100 to 100 percentage points.'
	),
	reason: trimmed('Reason', 1000)
});

/** The due date is wall-clock time in the course's zone; empty means the lecture's start. */
export const miniProjectSchema = z.object({
	title: trimmed('Title', 200),
	description: optionalText('Description', 20_000),
	dueAt: optionalDateTime('Due'),
	maxPoints: typedNumber('Enter the points the report is worth.').refine(
		(v) => Number.isFinite(v) && v > 0 && v <= 1000,
		'A report is worth more than 0 and at most 1000 points.'
	)
});

/** The range against the mini-project's points is checked by the service. */
export const reportGradeSchema = z.object({
	studentId: z.string().min(1, 'Choose a student.'),
	points: typedNumber('Enter the points.').refine(
		(v) => Number.isFinite(v) && v >= 0,
		'Points cannot be negative.'
	),
	feedback: optionalText('Feedback', 20_000)
});

/** The message for report points outside 0..max, or null. */
export function reportPointsIssue(points: number, max: number): string | null {
	return Number.isFinite(points) && points >= 0 && points <= max
		? null
		: `Enter 0 to ${max} points.`;
}
