import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
	changePasswordSchema,
	loginSchema,
	newPassword,
	PASSWORD_MAX,
	PASSWORD_MIN,
	signupSchema
} from '$lib/auth/schemas';
import { announcementSchema } from '$lib/announcements/schemas';
import { courseSchema, joinSchema, roleSchema, rosterSchema } from '$lib/courses/schemas';
import { lectureSchema, readingSchema, PRESENTATION_DUE_AFTER_START } from '$lib/lectures/schemas';
import {
	checkbox,
	echoableValues,
	email,
	formValues,
	optionalText,
	toFieldErrors,
	trimmed
} from '$lib/validation';

/** Field -> first message of a failed parse, or null when the value is accepted. */
function errorsOf(schema: z.ZodType, value: unknown) {
	const parsed = schema.safeParse(value);
	return parsed.success ? null : toFieldErrors(parsed.error);
}

/** The message for a plain (non-object) schema, or null. */
function messageOf(schema: z.ZodType, value: unknown) {
	return errorsOf(schema, value)?.form ?? null;
}

describe('newPassword', () => {
	it('accepts a long, varied passphrase', () => {
		expect(messageOf(newPassword, 'correct horse battery staple')).toBeNull();
		expect(messageOf(newPassword, 'x'.repeat(PASSWORD_MAX - 4) + 'abcd')).toBeNull();
	});

	it('refuses passwords shorter than the minimum', () => {
		expect(PASSWORD_MIN).toBeGreaterThanOrEqual(10);
		expect(messageOf(newPassword, 'Tr0ub4dor!'.slice(0, PASSWORD_MIN - 1))).toBe(
			`Password must be at least ${PASSWORD_MIN} characters.`
		);
		expect(messageOf(newPassword, 'Tr0ub4dor&3xyz'.slice(0, PASSWORD_MIN))).toBeNull();
	});

	it('refuses passwords longer than the maximum', () => {
		expect(messageOf(newPassword, 'ab3$'.repeat(PASSWORD_MAX / 4) + 'z')).toBe(
			`Password must be at most ${PASSWORD_MAX} characters.`
		);
	});

	it.each(['password123', 'Password123', 'QWERTYUIOP', '1234567890', 'iloveyou123'])(
		'refuses the common password %s whatever its case',
		(password) => {
			expect(messageOf(newPassword, password)).toBe('This password is too common; choose another.');
		}
	);

	it.each(['aaaaaaaaaaaa', 'abababababab', 'abcabcabcabc'])(
		'refuses %s, which has fewer than 4 different characters',
		(password) => {
			expect(messageOf(newPassword, password)).toMatch(/too easy to guess/);
		}
	);

	it('refuses a missing password', () => {
		expect(messageOf(newPassword, undefined)).toBe('Password is required.');
	});
});

describe('auth forms', () => {
	it('normalises the sign-up email and name', () => {
		expect(
			signupSchema.parse({
				name: '  Ada Lovelace ',
				email: ' Ada@Example.ORG ',
				password: 'correct horse battery'
			})
		).toEqual({
			name: 'Ada Lovelace',
			email: 'ada@example.org',
			password: 'correct horse battery'
		});
	});

	it('reports each bad sign-up field by name', () => {
		expect(errorsOf(signupSchema, { name: '   ', email: 'ada', password: 'short' })).toEqual({
			name: 'Name is required.',
			email: 'Enter a valid email address, like ada@example.org.',
			password: `Password must be at least ${PASSWORD_MIN} characters.`
		});
	});

	it('does not apply the new-password rules at sign-in', () => {
		expect(errorsOf(loginSchema, { email: 'ada@example.org', password: 'short' })).toBeNull();
		expect(errorsOf(loginSchema, { email: 'ada@example.org', password: '' })).toEqual({
			password: 'Password is required.'
		});
	});

	it('checks the new password when changing it', () => {
		expect(
			errorsOf(changePasswordSchema, { currentPassword: '', newPassword: 'password123' })
		).toEqual({
			currentPassword: 'Current password is required.',
			newPassword: 'This password is too common; choose another.'
		});
	});
});

describe('email', () => {
	it.each(['ada', 'ada@', '@example.org', 'ada@example', 'ada example@x.org', ''])(
		'refuses %j',
		(value) => {
			expect(messageOf(email, value)).not.toBeNull();
		}
	);

	it('refuses an email longer than 254 characters', () => {
		expect(messageOf(email, `${'a'.repeat(250)}@example.org`)).toBe(
			'Email must be at most 254 characters.'
		);
	});
});

describe('lectureSchema', () => {
	const lecture = {
		number: '3',
		title: ' Transformers ',
		startsAt: '2026-12-09T16:00',
		endsAt: '2026-12-09T18:00'
	};

	it('coerces the number, trims text and defaults the optional fields', () => {
		expect(lectureSchema.parse(lecture)).toEqual({
			number: 3,
			title: 'Transformers',
			topic: '',
			description: '',
			startsAt: '2026-12-09T16:00',
			endsAt: '2026-12-09T18:00',
			room: '',
			givenByInstructors: false,
			paperCritiqueDueAt: '',
			presentationCritiqueDueAt: ''
		});
		expect(lectureSchema.parse({ ...lecture, givenByInstructors: 'on' }).givenByInstructors).toBe(
			true
		);
	});

	it('takes critique deadlines as wall-clock times, the presentation’s after the start', () => {
		expect(
			errorsOf(lectureSchema, {
				...lecture,
				paperCritiqueDueAt: 'tomorrow',
				presentationCritiqueDueAt: '2026-12-09T16:00'
			})
		).toEqual({
			paperCritiqueDueAt: 'Paper critiques due: enter a date and a time, or leave it empty.',
			presentationCritiqueDueAt: PRESENTATION_DUE_AFTER_START
		});
		expect(
			errorsOf(lectureSchema, { ...lecture, presentationCritiqueDueAt: '2026-12-09T16:00' })
		).toEqual({ presentationCritiqueDueAt: PRESENTATION_DUE_AFTER_START });
		expect(
			lectureSchema.parse({ ...lecture, presentationCritiqueDueAt: '2026-12-11T16:00' })
				.presentationCritiqueDueAt
		).toBe('2026-12-11T16:00');
	});

	it.each([
		['2026-12-09T15:00', '2026-12-09T16:00'],
		['2026-12-09T16:00', '2026-12-09T16:00'],
		['2026-12-08T20:00', '2026-12-09T16:00']
	])('refuses an end (%s) not after the start (%s), on endsAt', (endsAt, startsAt) => {
		expect(errorsOf(lectureSchema, { ...lecture, startsAt, endsAt })).toEqual({
			endsAt: 'The lecture must end after it starts.'
		});
	});

	it('accepts a lecture that ends on a later day at an earlier hour', () => {
		expect(
			errorsOf(lectureSchema, {
				...lecture,
				startsAt: '2026-12-09T22:00',
				endsAt: '2026-12-10T01:00'
			})
		).toBeNull();
	});

	it.each([
		['0', 'Number must be at least 1.'],
		['1000', 'Number must be at most 999.'],
		['1.5', 'Number must be a whole number.']
	])('refuses the number %s', (number, message) => {
		expect(errorsOf(lectureSchema, { ...lecture, number })).toEqual({ number: message });
	});

	it('refuses a start that is not a date and a time', () => {
		expect(errorsOf(lectureSchema, { ...lecture, startsAt: '9 Dec 2026' })?.startsAt).toBe(
			'Start: enter a date and a time.'
		);
	});
});

describe('readingSchema', () => {
	const base = { title: 'Attention is all you need', kind: 'paper' };

	it.each(['https://arxiv.org/abs/1706.03762', 'http://example.org/post', 'HTTPS://EXAMPLE.ORG/'])(
		'accepts the link %s',
		(url) => {
			expect(readingSchema.parse({ ...base, url }).url).toBe(url);
		}
	);

	it.each([
		'javascript:alert(1)',
		'ftp://example.org/paper.pdf',
		'data:text/html,<script>alert(1)</script>',
		'//example.org/paper',
		'arxiv.org/abs/1706.03762',
		'https://example.org/a paper'
	])('refuses the link %s', (url) => {
		expect(errorsOf(readingSchema, { ...base, url })).toEqual({
			url: 'Link must start with http:// or https://.'
		});
	});

	it('allows a reading without a link', () => {
		expect(readingSchema.parse(base)).toEqual({ ...base, url: '', required: false });
		expect(readingSchema.parse({ ...base, url: '  ', required: 'on' })).toEqual({
			...base,
			url: '',
			required: true
		});
	});

	it('refuses an unknown kind', () => {
		expect(errorsOf(readingSchema, { ...base, kind: 'podcast' })).toEqual({
			kind: 'Choose paper, blog post, video or other.'
		});
	});
});

describe('joinSchema', () => {
	it.each([
		['ABCD2345', 'ABCD2345'],
		[' abcd2345 ', 'ABCD2345'],
		['abcd-2345', 'ABCD2345'],
		['ab cd 23 45', 'ABCD2345'],
		['Ab-Cd 2345\t', 'ABCD2345']
	])('normalises %j to %s', (code, expected) => {
		expect(joinSchema.parse({ code }).code).toBe(expected);
	});

	it.each([
		['', 'Enter the join code.'],
		[' - - ', 'Enter the join code.'],
		['A'.repeat(33), 'That is not a join code.']
	])('refuses %j', (code, message) => {
		expect(errorsOf(joinSchema, { code })).toEqual({ code: message });
	});
});

describe('course schemas', () => {
	const course = { title: 'Seminar', timeZone: 'Europe/Berlin' };

	it('accepts an IANA zone and refuses others', () => {
		expect(errorsOf(courseSchema, course)).toBeNull();
		expect(errorsOf(courseSchema, { ...course, timeZone: 'Mars/Base' })).toEqual({
			timeZone: 'Unknown time zone; use an IANA name such as Europe/Berlin.'
		});
		expect(courseSchema.parse({ ...course, timeZone: ' Asia/Tokyo ' }).timeZone).toBe('Asia/Tokyo');
	});

	it('limits the title', () => {
		expect(errorsOf(courseSchema, { ...course, title: 't'.repeat(201) })).toEqual({
			title: 'Title must be at most 200 characters.'
		});
	});

	it('defaults a roster import to students and to all-or-nothing', () => {
		expect(rosterSchema.parse({ csv: 'a@example.org,A' })).toEqual({
			csv: 'a@example.org,A',
			role: 'student',
			onlyValid: false
		});
		expect(rosterSchema.parse({ csv: 'x', role: 'ta', onlyValid: 'yes' })).toMatchObject({
			role: 'ta',
			onlyValid: true
		});
		expect(errorsOf(rosterSchema, { csv: '  ' })?.csv).toMatch(/Paste the roster/);
	});

	it('accepts only the three roles', () => {
		expect(errorsOf(roleSchema, { userId: 'u', role: 'ta' })).toBeNull();
		expect(errorsOf(roleSchema, { userId: 'u', role: 'admin' })).toEqual({
			role: 'Choose instructor, TA or student.'
		});
	});

	it('requires an announcement title and text', () => {
		expect(errorsOf(announcementSchema, { title: ' ', body: '' })).toEqual({
			title: 'Title is required.',
			body: 'Text is required.'
		});
		expect(announcementSchema.parse({ title: 'Hi', body: 'Text', pinned: 'on' }).pinned).toBe(true);
	});
});

describe('validation helpers', () => {
	it('keeps the first message of each field and files root issues under "form"', () => {
		const error = new z.ZodError([
			{ code: 'custom', path: ['a'], message: 'first for a', input: '' },
			{ code: 'custom', path: ['a'], message: 'second for a', input: '' },
			{ code: 'custom', path: [], message: 'about the whole form', input: {} },
			{ code: 'custom', path: ['items', 0, 'title'], message: 'nested', input: '' }
		]);
		expect(toFieldErrors(error)).toEqual({
			a: 'first for a',
			form: 'about the whole form',
			items: 'nested'
		});
	});

	it('turns form data into values: repeated names become arrays, files are dropped', () => {
		const form = new FormData();
		form.append('title', 'Seminar');
		form.append('tag', 'a');
		form.append('tag', 'b');
		form.append('upload', new Blob(['%PDF']), 'paper.pdf');
		expect(formValues(form)).toEqual({ title: 'Seminar', tag: ['a', 'b'] });
	});

	it('never echoes a password back into a form', () => {
		expect(
			echoableValues({
				email: 'ada@example.org',
				password: 'secret',
				currentPassword: 'old',
				newPassword: 'new'
			})
		).toEqual({ email: 'ada@example.org' });
	});

	it('reads checkboxes as booleans', () => {
		expect(checkbox.parse('on')).toBe(true);
		expect(checkbox.parse('true')).toBe(true);
		expect(checkbox.parse(undefined)).toBe(false);
		expect(checkbox.parse('')).toBe(false);
		expect(checkbox.safeParse('yes').success).toBe(false);
	});

	it('trims text and enforces the limits', () => {
		expect(trimmed('Name', 5).parse('  Ada  ')).toBe('Ada');
		expect(messageOf(trimmed('Name', 5), 'Adaline')).toBe('Name must be at most 5 characters.');
		expect(optionalText('Room', 5).parse(undefined)).toBe('');
		expect(messageOf(optionalText('Room', 5), 'Lecture hall')).toBe(
			'Room must be at most 5 characters.'
		);
	});
});
