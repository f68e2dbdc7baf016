import { describe, expect, it } from 'vitest';
import { parseRoster } from '$lib/courses/roster-csv';

describe('parseRoster', () => {
	it('reads email,name lines without a header', () => {
		expect(parseRoster('ada@example.org,Ada Lovelace\ngrace@example.org,Grace Hopper')).toEqual({
			entries: [
				{ email: 'ada@example.org', name: 'Ada Lovelace' },
				{ email: 'grace@example.org', name: 'Grace Hopper' }
			],
			problems: []
		});
	});

	it('finds the email whichever column it is in', () => {
		const { entries, problems } = parseRoster(
			'Ada Lovelace,ada@example.org\ngrace@example.org,Grace'
		);
		expect(problems).toEqual([]);
		expect(entries).toEqual([
			{ email: 'ada@example.org', name: 'Ada Lovelace' },
			{ email: 'grace@example.org', name: 'Grace' }
		]);
	});

	it('skips a header row and follows its column order', () => {
		const text =
			'Name,E-mail,Role\nAda Lovelace,ada@example.org,TA\nGrace Hopper,grace@example.org,';
		expect(parseRoster(text)).toEqual({
			entries: [
				{ email: 'ada@example.org', name: 'Ada Lovelace', role: 'ta' },
				{ email: 'grace@example.org', name: 'Grace Hopper' }
			],
			problems: []
		});
	});

	it('counts lines from the top of the paste, header and blank lines included', () => {
		const text = 'email,name\n\nada@example.org,Ada\n\nnot-an-email,Bob';
		const { entries, problems } = parseRoster(text);
		expect(entries).toEqual([{ email: 'ada@example.org', name: 'Ada' }]);
		expect(problems).toEqual([
			{ line: 5, text: 'not-an-email,Bob', message: expect.stringContaining('not-an-email') }
		]);
	});

	it.each([
		['tabs', 'Ada Lovelace\tada@example.org\nGrace Hopper\tgrace@example.org'],
		['semicolons', 'Ada Lovelace;ada@example.org\nGrace Hopper;grace@example.org'],
		['Windows line ends', 'Ada Lovelace,ada@example.org\r\nGrace Hopper,grace@example.org\r\n']
	])('reads %s as spreadsheets export them', (_, text) => {
		expect(parseRoster(text)).toEqual({
			entries: [
				{ email: 'ada@example.org', name: 'Ada Lovelace' },
				{ email: 'grace@example.org', name: 'Grace Hopper' }
			],
			problems: []
		});
	});

	it('keeps commas inside quoted names', () => {
		const { entries, problems } = parseRoster(
			'"Lovelace, Ada",ada@example.org\ngrace@example.org,"Hopper, Grace Brewster"'
		);
		expect(problems).toEqual([]);
		expect(entries.map((e) => e.name)).toEqual(['Lovelace, Ada', 'Hopper, Grace Brewster']);
	});

	it('keeps commas inside quoted names with semicolons as separators', () => {
		const { entries } = parseRoster(
			'"Lovelace, Ada";ada@example.org\n"Hopper, Grace";grace@example.org'
		);
		expect(entries).toEqual([
			{ email: 'ada@example.org', name: 'Lovelace, Ada' },
			{ email: 'grace@example.org', name: 'Hopper, Grace' }
		]);
	});

	it('trims cells and lower-cases emails', () => {
		expect(parseRoster('  Ada@Example.ORG ,  Ada Lovelace  ').entries).toEqual([
			{ email: 'ada@example.org', name: 'Ada Lovelace' }
		]);
	});

	it('reports each bad line with its number and text, and keeps the good ones', () => {
		const text = [
			'ada@example.org,Ada',
			'bob(at)example.org,Bob',
			'carol@example,Carol',
			'Dan Without Email',
			'erin@example.org',
			'frank@example.org,Frank'
		].join('\n');
		const { entries, problems } = parseRoster(text);
		expect(entries.map((e) => e.email)).toEqual(['ada@example.org', 'frank@example.org']);
		expect(problems.map((p) => [p.line, p.text])).toEqual([
			[2, 'bob(at)example.org,Bob'],
			[3, 'carol@example,Carol'],
			[4, 'Dan Without Email'],
			[5, 'erin@example.org']
		]);
		expect(problems[0].message).toBe('No email address on this line.');
		expect(problems[1].message).toBe('"carol@example" is not a valid email address.');
		expect(problems[2].message).toBe('No email address on this line.');
		expect(problems[3].message).toBe('No name on this line.');
	});

	it('reports a repeated email, whatever its case, pointing at the first line', () => {
		const { entries, problems } = parseRoster(
			'ada@example.org,Ada\ngrace@example.org,Grace\nADA@example.org,Ada again'
		);
		expect(entries).toHaveLength(2);
		expect(problems).toEqual([
			{
				line: 3,
				text: 'ADA@example.org,Ada again',
				message: 'ada@example.org is already on line 1.'
			}
		]);
	});

	it('reads a role column in any case, including "teaching assistant"', () => {
		const { entries, problems } = parseRoster(
			[
				'a@example.org,A,Instructor',
				'b@example.org,B,TA',
				'c@example.org,C,teaching assistant',
				'd@example.org,D,student',
				'e@example.org,E'
			].join('\n')
		);
		expect(problems).toEqual([]);
		expect(entries.map((e) => e.role)).toEqual(['instructor', 'ta', 'ta', 'student', undefined]);
	});

	it('refuses an unknown role on its line', () => {
		const { entries, problems } = parseRoster('a@example.org,A,professor\nb@example.org,B,ta');
		expect(entries).toEqual([{ email: 'b@example.org', name: 'B', role: 'ta' }]);
		expect(problems).toEqual([
			{
				line: 1,
				text: 'a@example.org,A,professor',
				message: 'Unknown role "professor"; use instructor, TA or student.'
			}
		]);
	});

	it('refuses names longer than 100 characters', () => {
		const long = 'x'.repeat(101);
		const { entries, problems } = parseRoster(
			`a@example.org,${long}\nb@example.org,${'y'.repeat(100)}`
		);
		expect(entries.map((e) => e.email)).toEqual(['b@example.org']);
		expect(problems.map((p) => [p.line, p.message])).toEqual([
			[1, 'The name is longer than 100 characters.']
		]);
	});

	it('returns nothing for an empty paste or a header alone', () => {
		expect(parseRoster('')).toEqual({ entries: [], problems: [] });
		expect(parseRoster('\n\n')).toEqual({ entries: [], problems: [] });
		expect(parseRoster('email,name\n')).toEqual({ entries: [], problems: [] });
	});
});
