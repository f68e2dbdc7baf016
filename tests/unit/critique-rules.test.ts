import { describe, expect, test } from 'vitest';
import {
	DEFAULT_FORMS,
	answersText,
	checkAnswers,
	critiqueFormSchema,
	type CritiqueField
} from '$lib/critiques/forms';
import {
	critiqueDue,
	critiqueOpen,
	isLate,
	mayReadPeers,
	presentationCritiqueDue
} from '$lib/critiques/deadlines';

const paperForm = DEFAULT_FORMS.paper;

const complete = {
	summary: 'Shards optimizer state across data-parallel ranks.',
	strengths: 'Memory per device falls linearly.',
	weaknesses: 'Communication grows by half in stage 3.',
	soundness: '3',
	significance: '4',
	clarity: '2',
	confidence: '5'
};

describe('the default forms', () => {
	test('ask what the course page asks, with 1–4 scores and a 1–5 confidence', () => {
		expect(paperForm.map((f) => f.key)).toEqual([
			'summary',
			'strengths',
			'weaknesses',
			'questions',
			'limitations',
			'soundness',
			'significance',
			'clarity',
			'confidence'
		]);
		const confidence = paperForm.find((f) => f.key === 'confidence');
		expect(confidence).toMatchObject({ type: 'score', min: 1, max: 5 });
		expect(DEFAULT_FORMS.presentation.filter((f) => f.type === 'score').map((f) => f.key)).toEqual([
			'explanation',
			'assessment',
			'delivery'
		]);
		for (const form of Object.values(DEFAULT_FORMS)) {
			expect(critiqueFormSchema.safeParse(form).success).toBe(true);
		}
	});
});

describe('checkAnswers', () => {
	test('a submission needs every required field, a draft none', () => {
		const partial = { summary: 'Only a summary so far.' };
		expect(checkAnswers(paperForm, partial, 'draft')).toEqual({
			ok: true,
			answers: { summary: 'Only a summary so far.' }
		});
		const submitted = checkAnswers(paperForm, partial, 'submit');
		expect(submitted.ok).toBe(false);
		if (submitted.ok) return;
		expect(Object.keys(submitted.errors).sort()).toEqual(
			['clarity', 'confidence', 'significance', 'soundness', 'strengths', 'weaknesses'].sort()
		);
		expect(submitted.errors.soundness).toBe('Soundness: choose a score.');
		expect(submitted.errors.strengths).toBe('Strengths is required.');
	});

	test('scores are whole numbers on the field’s scale; text is trimmed and limited', () => {
		const result = checkAnswers(
			paperForm,
			{ ...complete, soundness: '5', clarity: '2.5', summary: 'x'.repeat(10_001) },
			'submit'
		);
		expect(result).toEqual({
			ok: false,
			errors: {
				soundness: 'Soundness: choose a whole number from 1 to 4.',
				clarity: 'Clarity: choose a whole number from 1 to 4.',
				summary: 'Summary must be at most 10,000 characters (it has 10,001).'
			}
		});
		const ok = checkAnswers(
			paperForm,
			{ ...complete, summary: '  padded  ', extra: 'x' },
			'submit'
		);
		expect(ok).toEqual({
			ok: true,
			answers: {
				...complete,
				summary: 'padded',
				soundness: 3,
				significance: 4,
				clarity: 2,
				confidence: 5
			}
		});
	});

	test('answersText joins the text answers only', () => {
		const result = checkAnswers(paperForm, complete, 'submit');
		if (!result.ok) throw new Error('expected valid answers');
		expect(answersText(paperForm, result.answers)).toBe(
			[complete.summary, complete.strengths, complete.weaknesses].join('\n\n')
		);
	});
});

describe('critiqueFormSchema', () => {
	const field = (over: Partial<CritiqueField>): CritiqueField =>
		({
			type: 'score',
			key: 'novelty',
			label: 'Novelty',
			help: '',
			required: true,
			min: 1,
			max: 4,
			lowLabel: '',
			highLabel: '',
			...over
		}) as CritiqueField;

	test('refuses duplicate keys, inverted scales, and forms with nothing required', () => {
		const messages = (fields: unknown) => {
			const result = critiqueFormSchema.safeParse(fields);
			return result.success ? [] : result.error.issues.map((i) => i.message);
		};
		expect(messages([field({}), field({ label: 'Again' })])).toContain(
			'Two fields have the same key.'
		);
		expect(messages([field({ min: 4, max: 2 } as Partial<CritiqueField>)])).toContain(
			'A scale must end above where it starts.'
		);
		expect(messages([field({ required: false })])).toContain(
			'At least one field must be required.'
		);
		expect(messages([field({ key: 'Bad Key' })])).toContain(
			'A field key is lowercase letters, digits and _.'
		);
		expect(messages([])).toContain('A critique form needs at least one field.');
		expect(messages([field({})])).toEqual([]);
	});
});

describe('deadlines', () => {
	const startsAt = new Date('2026-12-03T15:00:00Z');
	const lecture = { startsAt, paperCritiqueDueAt: null, presentationCritiqueDueAt: null };

	test('default to the lecture’s start and two days after it', () => {
		expect(critiqueDue(lecture, 'paper')).toEqual(startsAt);
		expect(presentationCritiqueDue(lecture)).toEqual(new Date('2026-12-05T15:00:00Z'));
		const custom = new Date('2026-12-02T22:59:00Z');
		expect(critiqueDue({ ...lecture, paperCritiqueDueAt: custom }, 'paper')).toEqual(custom);
	});

	test('a presentation critique opens when the talk starts; late is strictly after', () => {
		expect(critiqueOpen(lecture, 'presentation', new Date('2026-12-03T14:59:59Z'))).toBe(false);
		expect(critiqueOpen(lecture, 'presentation', startsAt)).toBe(true);
		expect(critiqueOpen(lecture, 'paper', new Date('2026-01-01T00:00:00Z'))).toBe(true);
		expect(isLate(startsAt, startsAt)).toBe(false);
		expect(isLate(new Date(startsAt.getTime() + 1), startsAt)).toBe(true);
	});

	test('peers read each other after their own submission or the deadline, per course rule', () => {
		const before = new Date(startsAt.getTime() - 1000);
		const base = {
			isStaff: false,
			isPresenter: false,
			ownSubmitted: false,
			due: startsAt,
			now: before
		};
		expect(mayReadPeers({ ...base, rule: 'after_own_or_deadline' })).toBe(false);
		expect(mayReadPeers({ ...base, rule: 'after_own_or_deadline', ownSubmitted: true })).toBe(true);
		expect(mayReadPeers({ ...base, rule: 'after_deadline', ownSubmitted: true })).toBe(false);
		expect(mayReadPeers({ ...base, rule: 'after_deadline', now: startsAt })).toBe(true);
		expect(mayReadPeers({ ...base, rule: 'after_deadline', isStaff: true })).toBe(true);
		expect(mayReadPeers({ ...base, rule: 'after_deadline', isPresenter: true })).toBe(true);
	});
});
