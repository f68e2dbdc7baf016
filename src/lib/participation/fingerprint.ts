/**
 * A text's fingerprint for "near-duplicate texts count once": the same words in the same
 * order, whatever the case, punctuation, Markdown or spacing. Stored in the activity row's
 * details when the item is written, so scoring never reads the items themselves.
 */
export function normalizeForDuplicates(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** 64-bit FNV-1a of the normalized text, as 16 hex digits. */
export function textFingerprint(text: string): string {
	const normalized = normalizeForDuplicates(text);
	let hash = 0xcbf29ce484222325n;
	const prime = 0x100000001b3n;
	for (const byte of new TextEncoder().encode(normalized)) {
		hash ^= BigInt(byte);
		hash = (hash * prime) & 0xffffffffffffffffn;
	}
	return hash.toString(16).padStart(16, '0');
}

/** What scoring needs to know of a written item, recorded in its activity row's details. */
export function textDetails(text: string): { length: number; fingerprint: string } {
	return { length: text.length, fingerprint: textFingerprint(text) };
}
