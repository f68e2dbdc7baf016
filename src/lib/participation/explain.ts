/**
 * Plain words for why a scored item earned less than its points, as a student reads them
 * under their participation score.
 */
import type { Reason } from '$lib/server/participation/score';
import type { ParticipationRules } from './rules';

const format = (n: number) => String(Math.round(n * 100) / 100);

export function reasonText(reason: Reason, rules: ParticipationRules): string {
	switch (reason) {
		case 'not_counted':
			return 'Earns nothing: this kind of activity does not count in this course.';
		case 'deleted':
			return 'Earns nothing: it was deleted.';
		case 'hidden':
			return 'Earns nothing: hidden by an instructor.';
		case 'too_short':
			return `Earns nothing: shorter than ${rules.minLength} characters.`;
		case 'short':
			return `A share of the points: full points from ${rules.fullLength} characters on.`;
		case 'duplicate':
			return 'Earns nothing: nearly the same text as an earlier item of yours.';
		case 'over_cap':
			return `Over the cap of ${format(rules.capPerLecture)} points for this lecture.`;
		case 'late':
			return `Late: loses ${format(rules.latePenalty)} % of its points.`;
	}
}
