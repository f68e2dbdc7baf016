import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

function randomBytes(count: number): Uint8Array {
	const bytes = new Uint8Array(count);
	crypto.getRandomValues(bytes);
	return bytes;
}

/** Row id: 120 random bits, URL-safe. */
export function newId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(15));
}

/** Secret for URLs that act without a cookie (invite links, calendar feeds): 160 bits. */
export function newSecret(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

// No 0/O, 1/I/L: join codes are read aloud and copied from a projector.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Short code a person types to join a course. */
export function newJoinCode(length = 8): string {
	const bytes = randomBytes(length);
	let code = '';
	for (const byte of bytes) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
	return code;
}
