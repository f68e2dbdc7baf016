import { z } from 'zod';
import { email, trimmed } from '$lib/validation';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

// The passwords tried first by every guessing script; length alone does not stop them.
const COMMON = new Set([
	'password123',
	'password1234',
	'passwordpassword',
	'1234567890',
	'12345678910',
	'qwertyuiop',
	'qwerty12345',
	'iloveyou123',
	'letmein1234',
	'administrator',
	'welcome123',
	'abcdefghij',
	'0123456789'
]);

export const newPassword = z
	.string({ error: 'Password is required.' })
	.min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters.`)
	.max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`)
	.refine((p) => !COMMON.has(p.toLowerCase()), 'This password is too common; choose another.')
	.refine((p) => new Set(p).size >= 4, 'This password is too easy to guess; mix more characters.');

export const signupSchema = z.object({
	name: trimmed('Name', 100),
	email,
	password: newPassword
});

export const loginSchema = z.object({
	email,
	password: z
		.string({ error: 'Password is required.' })
		.min(1, 'Password is required.')
		.max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`)
});

export const changePasswordSchema = z.object({
	currentPassword: z
		.string({ error: 'Current password is required.' })
		.min(1, 'Current password is required.'),
	newPassword
});
