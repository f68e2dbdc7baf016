import Papa from 'papaparse';
import { z } from 'zod';
import { email as emailSchema } from '$lib/validation';
import { ROLES, type Role } from './roles';

export interface RosterEntry {
	email: string;
	name: string;
	role?: Role;
}

export interface RosterProblem {
	/** 1-based line number in what was pasted. */
	line: number;
	text: string;
	message: string;
}

export interface ParsedRoster {
	entries: RosterEntry[];
	problems: RosterProblem[];
}

const HEADER_WORDS = new Set(['email', 'e-mail', 'mail', 'name', 'full name', 'role']);

/**
 * Reads a pasted roster: one person per line, "email,name" (or "name,email"; a header
 * row naming the columns is optional; a third column may give the role). Tabs and
 * semicolons work as separators too, as spreadsheets export them.
 */
export function parseRoster(text: string): ParsedRoster {
	const result = Papa.parse<string[]>(text.replace(/\r\n?/g, '\n'), {
		skipEmptyLines: false,
		delimitersToGuess: [',', '\t', ';']
	});
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const rows = result.data.map((cells, i) => ({ cells: cells.map((c) => c.trim()), line: i + 1 }));
	let columns = { email: -1, name: -1, role: -1 };
	const first = rows.find((r) => r.cells.some((c) => c !== ''));
	if (first && first.cells.every((c) => HEADER_WORDS.has(c.toLowerCase()) || c === '')) {
		const lower = first.cells.map((c) => c.toLowerCase());
		columns = {
			email: lower.findIndex((c) => c.includes('mail')),
			name: lower.findIndex((c) => c.includes('name')),
			role: lower.indexOf('role')
		};
		rows.splice(rows.indexOf(first), 1);
	}

	const entries: RosterEntry[] = [];
	const problems: RosterProblem[] = [];
	const seen = new Map<string, number>();
	for (const { cells, line } of rows) {
		if (cells.every((c) => c === '')) continue;
		const problem = (message: string) =>
			problems.push({ line, text: lines[line - 1] ?? cells.join(','), message });
		const emailAt = columns.email >= 0 ? columns.email : cells.findIndex((c) => c.includes('@'));
		if (emailAt < 0 || !cells[emailAt]) {
			problem('No email address on this line.');
			continue;
		}
		const parsedEmail = emailSchema.safeParse(cells[emailAt]);
		if (!parsedEmail.success) {
			problem(`"${cells[emailAt]}" is not a valid email address.`);
			continue;
		}
		const nameAt =
			columns.name >= 0
				? columns.name
				: cells.findIndex((c, i) => i !== emailAt && c !== '' && !isRole(c));
		const name = nameAt >= 0 ? (cells[nameAt] ?? '') : '';
		if (!name) {
			problem('No name on this line.');
			continue;
		}
		if (name.length > 100) {
			problem('The name is longer than 100 characters.');
			continue;
		}
		const roleCell =
			columns.role >= 0
				? cells[columns.role]
				: cells.find((c, i) => i !== emailAt && i !== nameAt && c);
		let role: Role | undefined;
		if (roleCell) {
			const parsedRole = z.enum(ROLES).safeParse(normalizeRole(roleCell));
			if (!parsedRole.success) {
				problem(`Unknown role "${roleCell}"; use instructor, TA or student.`);
				continue;
			}
			role = parsedRole.data;
		}
		const earlier = seen.get(parsedEmail.data);
		if (earlier) {
			problem(`${parsedEmail.data} is already on line ${earlier}.`);
			continue;
		}
		seen.set(parsedEmail.data, line);
		entries.push({ email: parsedEmail.data, name, ...(role ? { role } : {}) });
	}
	return { entries, problems };
}

function normalizeRole(cell: string): string {
	const lower = cell.trim().toLowerCase();
	return lower === 'teaching assistant' ? 'ta' : lower;
}

function isRole(cell: string): boolean {
	return (ROLES as readonly string[]).includes(normalizeRole(cell));
}
