import { describe, expect, it } from 'vitest';
import {
	applyEdit,
	draftsOf,
	fieldsOfDrafts,
	readDrafts,
	type FieldDraft
} from '$lib/critiques/form-editor';
import { DEFAULT_FORMS, MAX_FIELDS, critiqueFormSchema } from '$lib/critiques/forms';
import { upcomingDeadlines } from '$lib/critiques/deadlines';
import { formatDeadline } from '$lib/time/zones';

const rows = draftsOf(DEFAULT_FORMS.presentation);
const labels = (drafts: FieldDraft[] | null) => drafts?.map((d) => d.label);

describe('the critique form editor', () => {
	it('round-trips the default forms through the indexed inputs', () => {
		for (const fields of Object.values(DEFAULT_FORMS)) {
			const posted: Record<string, string> = {};
			draftsOf(fields).forEach((d, i) => {
				for (const [name, value] of Object.entries(d)) {
					if (typeof value === 'boolean') {
						if (value) posted[`fields[${i}].${name}`] = 'on';
					} else posted[`fields[${i}].${name}`] = value;
				}
			});
			const parsed = critiqueFormSchema.safeParse(fieldsOfDrafts(readDrafts(posted)));
			expect(parsed.success && parsed.data).toEqual(fields);
		}
	});

	it('adds, removes and moves rows, leaving the rest as typed', () => {
		expect(labels(applyEdit(rows, 'up:1'))?.slice(0, 2)).toEqual(['Weaknesses', 'Strengths']);
		expect(labels(applyEdit(rows, 'down:0'))?.slice(0, 2)).toEqual(['Weaknesses', 'Strengths']);
		expect(labels(applyEdit(rows, 'up:0'))).toEqual(labels(rows));
		expect(labels(applyEdit(rows, `down:${rows.length - 1}`))).toEqual(labels(rows));
		expect(labels(applyEdit(rows, 'remove:2'))).not.toContain('Questions');
		expect(applyEdit(rows, 'remove:2')).toHaveLength(rows.length - 1);
		const added = applyEdit(rows, 'add')!;
		expect(added.at(-1)).toMatchObject({ type: 'text', key: '', label: '' });
		const full = Array.from({ length: MAX_FIELDS }, () => rows[0]);
		expect(applyEdit(full, 'add')).toHaveLength(MAX_FIELDS);
		expect(applyEdit(rows, 'remove:99')).toEqual(rows);
		expect(applyEdit(rows, 'save')).toBeNull();
		expect(applyEdit(rows, 'drop table')).toBeNull();
	});

	it('derives a free key for a new field from its label', () => {
		const drafts = [
			...rows,
			{ ...rows[0], key: '', label: 'Strengths' },
			{ ...rows[0], key: '', label: '3 Reproducibility?' },
			{ ...rows[0], key: '', label: '' }
		];
		const keys = (fieldsOfDrafts(drafts) as { key: string }[]).map((f) => f.key);
		expect(keys.slice(-3)).toEqual(['strengths_2', 'reproducibility', 'field']);
	});

	it('reads at most the allowed number of rows and treats bad numbers as not numbers', () => {
		const posted: Record<string, string> = {};
		for (let i = 0; i < 100; i++) posted[`fields[${i}].type`] = 'score';
		expect(readDrafts(posted)).toHaveLength(MAX_FIELDS + 1);
		const [score] = fieldsOfDrafts([{ ...rows[3], min: '', max: '2.5' }]) as {
			min: number;
			max: number;
		}[];
		expect(score.min).toBeNaN();
		expect(score.max).toBeNaN();
	});
});

describe('upcomingDeadlines', () => {
	const starts = new Date('2026-12-09T15:00:00Z');
	const lecture = {
		id: 'l1',
		startsAt: starts,
		paperCritiqueDueAt: null,
		presentationCritiqueDueAt: null,
		presenter: false
	};
	const HOUR = 3600_000;

	it('lists what falls due after now and within the horizon, soonest first', () => {
		const now = new Date(starts.getTime() - HOUR);
		expect(upcomingDeadlines([lecture], now, 72 * HOUR).map((d) => d.kind)).toEqual([
			'paper',
			'presentation'
		]);
		expect(upcomingDeadlines([lecture], now, 30 * HOUR).map((d) => d.kind)).toEqual(['paper']);
		expect(upcomingDeadlines([lecture], starts, 72 * HOUR).map((d) => d.kind)).toEqual([
			'presentation'
		]);
	});

	it('leaves out the presentation critique for its presenters', () => {
		const now = new Date(starts.getTime() + HOUR);
		expect(upcomingDeadlines([{ ...lecture, presenter: true }], now, 72 * HOUR)).toEqual([]);
	});
});

describe('formatDeadline', () => {
	const due = new Date('2026-12-10T15:00:00Z'); // Thursday 16:00 in Berlin

	it('names the weekday within the coming week, else the date', () => {
		expect(formatDeadline(due, 'Europe/Berlin', new Date('2026-12-08T10:00:00Z'))).toBe(
			'Thursday 16:00'
		);
		expect(formatDeadline(due, 'Europe/Berlin', new Date('2026-12-01T10:00:00Z'))).toBe(
			'Thu 10 Dec 2026, 16:00'
		);
		expect(formatDeadline(due, 'Europe/Berlin')).toBe('Thu 10 Dec 2026, 16:00');
		expect(formatDeadline(due, 'America/New_York', new Date('2026-12-08T10:00:00Z'))).toBe(
			'Thursday 10:00'
		);
	});
});
