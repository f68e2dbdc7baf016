import { describe, expect, it } from 'vitest';
import { parseDeck } from '$lib/decks/dialect';
import { positionSchema } from '$lib/talks/schemas';
import { PositionSender } from '$lib/talks/sender';
import {
	formatElapsed,
	hasSlide,
	newerPosition,
	nextSlideIndex,
	paceText,
	slideLabel,
	talkPace
} from '$lib/talks/talk';

const minutes = (m: number) => m * 60_000;

describe('talk timer', () => {
	it('says under, within or over the 45–60 minute target in words', () => {
		expect(talkPace(minutes(44.9))).toBe('under');
		expect(talkPace(minutes(45))).toBe('within');
		expect(talkPace(minutes(60))).toBe('within');
		expect(talkPace(minutes(60.1))).toBe('over');
		expect(paceText(minutes(30))).toBe('Under the 45–60 minute target: 15 min to 45.');
		expect(paceText(minutes(50))).toBe('Within the 45–60 minute target: 10 min left.');
		expect(paceText(minutes(63))).toBe('Over the 45–60 minute target by 3 min.');
	});

	it('formats elapsed time, never negative', () => {
		expect(formatElapsed(minutes(62) + 5_400)).toBe('1:02:05');
		expect(formatElapsed(-3000)).toBe('0:00:00');
	});
});

describe('slide positions', () => {
	const deck = parseDeck('# A\n\n---\n\n## B\n\n--\n\n## B2\n\n---\n\n## C\n');

	it('finds the next slide as reveal.js goes: down the stack first, null at the end', () => {
		expect(nextSlideIndex(deck, { h: 0, v: 0 })).toEqual({ h: 1, v: 0 });
		expect(nextSlideIndex(deck, { h: 1, v: 0 })).toEqual({ h: 1, v: 1 });
		expect(nextSlideIndex(deck, { h: 1, v: 1 })).toEqual({ h: 2, v: 0 });
		expect(nextSlideIndex(deck, { h: 2, v: 0 })).toBeNull();
	});

	it('knows which slides exist and names them as the outline does', () => {
		expect(hasSlide(deck, { h: 1, v: 1 })).toBe(true);
		expect(hasSlide(deck, { h: 0, v: 1 })).toBe(false);
		expect(hasSlide(deck, { h: 3, v: 0 })).toBe(false);
		expect(slideLabel({ h: 1, v: 1 })).toBe('Slide 2.2');
		expect(slideLabel({ h: 2, v: 0 })).toBe('Slide 3');
	});

	it('keeps the newer of two positions', () => {
		const a = { h: 1, v: 0, f: -1, t: 10 };
		const b = { h: 2, v: 0, f: 0, t: 20 };
		expect(newerPosition(a, b)).toBe(b);
		expect(newerPosition(b, a)).toBe(b);
	});

	it('accepts whole positions only', () => {
		expect(positionSchema.safeParse({ h: 2, v: 0, f: -1 }).success).toBe(true);
		expect(positionSchema.safeParse({ h: 1.5, v: 0, f: -1 }).success).toBe(false);
		expect(positionSchema.safeParse({ h: 0, v: -1, f: -1 }).success).toBe(false);
		expect(positionSchema.safeParse({ h: 0, v: 0, f: -2 }).success).toBe(false);
	});
});

describe('PositionSender', () => {
	it('sends one move at a time and skips to the newest of those that waited', async () => {
		const sent: number[] = [];
		const waiting: (() => void)[] = [];
		const sender = new PositionSender(async ({ h }) => {
			sent.push(h);
			await new Promise<void>((resolve) => waiting.push(resolve));
		});
		const first = sender.send({ h: 1, v: 0, f: -1 });
		void sender.send({ h: 2, v: 0, f: -1 });
		void sender.send({ h: 3, v: 0, f: -1 });
		expect(sent).toEqual([1]);
		waiting.shift()!();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(sent).toEqual([1, 3]);
		waiting.shift()!();
		await first;
		expect(sent).toEqual([1, 3]);
	});

	it('goes on after a move that failed', async () => {
		const sent: number[] = [];
		const sender = new PositionSender(async ({ h }) => {
			sent.push(h);
			if (h === 1) throw new Error('offline');
		});
		await sender.send({ h: 1, v: 0, f: -1 });
		await sender.send({ h: 2, v: 0, f: -1 });
		expect(sent).toEqual([1, 2]);
	});
});
