import { afterEach, describe, expect, it } from 'vitest';
import {
	formatDateTime,
	formatDay,
	formatSlot,
	formatTime,
	isValidTimeZone,
	timeZoneNames,
	utcToZonedLocal,
	zonedLocalToUtc
} from '$lib/time/zones';

const originalTz = process.env.TZ;
afterEach(() => {
	if (originalTz === undefined) delete process.env.TZ;
	else process.env.TZ = originalTz;
});

// Server zones to run the same expectations in: Node honours a changed TZ at once.
const SERVER_ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kathmandu'];

describe('zonedLocalToUtc', () => {
	it.each(SERVER_ZONES)('is independent of the server zone (TZ=%s)', (tz) => {
		process.env.TZ = tz;
		// The change took effect: the process's own zone now reads this instant its way.
		const offsetMinutes = new Date('2026-12-09T15:00:00Z').getTimezoneOffset();
		expect(offsetMinutes).toBe(
			{ UTC: 0, 'Europe/Berlin': -60, 'America/Los_Angeles': 480, 'Asia/Kathmandu': -345 }[tz]
		);

		// 16:00 in Berlin: UTC+1 in winter, UTC+2 in summer.
		expect(zonedLocalToUtc('2026-12-09T16:00', 'Europe/Berlin')?.toISOString()).toBe(
			'2026-12-09T15:00:00.000Z'
		);
		expect(zonedLocalToUtc('2026-06-10T16:00', 'Europe/Berlin')?.toISOString()).toBe(
			'2026-06-10T14:00:00.000Z'
		);
		expect(zonedLocalToUtc('2026-12-09T16:00', 'America/New_York')?.toISOString()).toBe(
			'2026-12-09T21:00:00.000Z'
		);
		expect(zonedLocalToUtc('2026-12-09T16:00', 'Asia/Kolkata')?.toISOString()).toBe(
			'2026-12-09T10:30:00.000Z'
		);
		expect(zonedLocalToUtc('2026-12-09T16:00', 'UTC')?.toISOString()).toBe(
			'2026-12-09T16:00:00.000Z'
		);
		expect(utcToZonedLocal(new Date('2026-12-09T15:00:00Z'), 'Europe/Berlin')).toBe(
			'2026-12-09T16:00'
		);
	});

	it('switches offset exactly at the DST change (last Sunday of March, 01:00 UTC)', () => {
		expect(zonedLocalToUtc('2026-03-29T01:59', 'Europe/Berlin')?.toISOString()).toBe(
			'2026-03-29T00:59:00.000Z'
		);
		expect(zonedLocalToUtc('2026-03-29T03:00', 'Europe/Berlin')?.toISOString()).toBe(
			'2026-03-29T01:00:00.000Z'
		);
	});

	it.each([
		'2026-02-30T10:00',
		'2026-02-29T10:00',
		'2026-04-31T10:00',
		'2026-13-01T10:00',
		'2026-00-10T10:00',
		'2026-12-09T24:00',
		'2026-12-09T16:60',
		'2026-12-09 16:00',
		'2026-12-09T16:00:00',
		'2026-12-9T16:00',
		'09.12.2026 16:00',
		''
	])('rejects the local value %j', (local) => {
		expect(zonedLocalToUtc(local, 'Europe/Berlin')).toBeNull();
	});

	it('accepts 29 February in a leap year', () => {
		expect(zonedLocalToUtc('2028-02-29T10:00', 'Europe/Berlin')?.toISOString()).toBe(
			'2028-02-29T09:00:00.000Z'
		);
	});

	it.each(['Mars/Olympus_Mons', 'Europe/Berlinn', '', ' Europe/Berlin', 'Berlin'])(
		'rejects the unknown zone %j',
		(zone) => {
			expect(isValidTimeZone(zone)).toBe(false);
			expect(zonedLocalToUtc('2026-12-09T16:00', zone)).toBeNull();
		}
	);

	it('knows the zones a picker offers', () => {
		const names = timeZoneNames();
		expect(names).toContain('Europe/Berlin');
		expect(names.every(isValidTimeZone)).toBe(true);
	});
});

describe('utcToZonedLocal', () => {
	const cases = [
		['2026-12-09T16:00', 'Europe/Berlin'],
		['2026-06-10T16:00', 'Europe/Berlin'],
		['2026-01-01T00:00', 'Pacific/Auckland'],
		['2026-12-31T23:59', 'America/Los_Angeles'],
		['2026-07-15T09:45', 'Asia/Kathmandu']
	] as const;

	it.each(SERVER_ZONES)('round-trips wall-clock values whatever the server zone (TZ=%s)', (tz) => {
		process.env.TZ = tz;
		for (const [local, zone] of cases) {
			const instant = zonedLocalToUtc(local, zone);
			expect(instant, `${local} in ${zone}`).not.toBeNull();
			expect(utcToZonedLocal(instant!, zone)).toBe(local);
		}
	});

	it('shows one instant as each zone’s wall clock', () => {
		const instant = new Date('2026-12-09T15:00:00Z');
		expect(utcToZonedLocal(instant, 'Europe/Berlin')).toBe('2026-12-09T16:00');
		expect(utcToZonedLocal(instant, 'America/Los_Angeles')).toBe('2026-12-09T07:00');
		expect(utcToZonedLocal(instant, 'Asia/Tokyo')).toBe('2026-12-10T00:00');
	});
});

describe('formatting in the course zone', () => {
	it.each(SERVER_ZONES)('formats a slot the same way under TZ=%s', (tz) => {
		process.env.TZ = tz;
		const start = new Date('2026-12-09T15:00:00Z');
		const end = new Date('2026-12-09T17:00:00Z');
		expect(formatSlot(start, end, 'Europe/Berlin')).toBe(
			'Wed 9 Dec 2026, 16:00–18:00 (Europe/Berlin)'
		);
		expect(formatDay(start, 'Asia/Tokyo')).toBe('Thu 10 Dec 2026');
		expect(formatTime(start, 'Asia/Tokyo')).toBe('00:00');
		expect(formatDateTime(start, 'Europe/Berlin')).toBe('9 Dec 2026, 16:00');
	});

	it('names the end day of a slot that crosses midnight', () => {
		const start = new Date('2026-12-09T21:00:00Z');
		const end = new Date('2026-12-09T23:30:00Z');
		expect(formatSlot(start, end, 'Europe/Berlin')).toBe(
			'Wed 9 Dec 2026, 22:00–Thu 10 Dec 2026, 00:30 (Europe/Berlin)'
		);
	});
});
