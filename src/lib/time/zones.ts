import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

/** True for an IANA zone name this runtime knows, like "Europe/Berlin". */
export function isValidTimeZone(zone: string): boolean {
	if (!zone || zone !== zone.trim()) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** Zone names for a picker. */
export function timeZoneNames(): string[] {
	return Intl.supportedValuesOf('timeZone');
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant at which the wall clock in `zone` shows `local` ("2026-12-06T16:00", the
 * value of an <input type="datetime-local">), whatever the server's own zone is.
 * Returns null for a malformed or impossible value.
 */
export function zonedLocalToUtc(local: string, zone: string): Date | null {
	const match = LOCAL_INPUT.exec(local);
	if (!match || !isValidTimeZone(zone)) return null;
	const [, y, mo, d, h, mi] = match.map(Number);
	const probe = new Date(Date.UTC(y, mo - 1, d, h, mi));
	if (
		probe.getUTCFullYear() !== y ||
		probe.getUTCMonth() !== mo - 1 ||
		probe.getUTCDate() !== d ||
		probe.getUTCHours() !== h ||
		probe.getUTCMinutes() !== mi
	) {
		return null;
	}
	return fromZonedTime(local.replace('T', ' ') + ':00', zone);
}

/** The value an <input type="datetime-local"> shows for `instant` in `zone`. */
export function utcToZonedLocal(instant: Date, zone: string): string {
	return formatInTimeZone(instant, zone, "yyyy-MM-dd'T'HH:mm");
}

interface WallClock {
	weekday: string;
	day: string;
	month: string;
	year: string;
	hour: string;
	minute: string;
}

// One formatter per zone: building an Intl.DateTimeFormat is the expensive part, and
// schedule pages format many times per request.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, zone: string): WallClock {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-GB', {
			timeZone: zone,
			weekday: 'short',
			day: 'numeric',
			month: 'short',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		formatters.set(zone, formatter);
	}
	const parts = Object.fromEntries(
		formatter.formatToParts(instant).map((p) => [p.type, p.value])
	) as Record<string, string>;
	return {
		weekday: parts.weekday,
		day: parts.day,
		month: parts.month,
		year: parts.year,
		hour: parts.hour,
		minute: parts.minute
	};
}

const dayOf = (w: WallClock) => `${w.weekday} ${w.day} ${w.month} ${w.year}`;
const timeOf = (w: WallClock) => `${w.hour}:${w.minute}`;

/** "Wed 6 Dec 2026" in the course's zone. */
export function formatDay(instant: Date, zone: string): string {
	return dayOf(wallClock(instant, zone));
}

/** "16:00" in the course's zone. */
export function formatTime(instant: Date, zone: string): string {
	return timeOf(wallClock(instant, zone));
}

/** "Wed 6 Dec 2026, 16:00–18:00 (Europe/Berlin)": a lecture's slot, zone named. */
export function formatSlot(start: Date, end: Date, zone: string): string {
	const from = wallClock(start, zone);
	const to = wallClock(end, zone);
	const endText = dayOf(from) === dayOf(to) ? timeOf(to) : `${dayOf(to)}, ${timeOf(to)}`;
	return `${dayOf(from)}, ${timeOf(from)}–${endText} (${zone})`;
}

/** "6 Dec 2026, 09:30" for timestamps such as an announcement's. */
export function formatDateTime(instant: Date, zone: string): string {
	const w = wallClock(instant, zone);
	return `${w.day} ${w.month} ${w.year}, ${timeOf(w)}`;
}

/** "Thu 3 Dec 2026, 16:00 (Europe/Berlin)": a deadline, zone named. */
export function formatDeadline(instant: Date, zone: string): string {
	const w = wallClock(instant, zone);
	return `${dayOf(w)}, ${timeOf(w)} (${zone})`;
}
