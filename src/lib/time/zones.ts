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

/** "Wed 6 Dec 2026" in the course's zone. */
export function formatDay(instant: Date, zone: string): string {
	return formatInTimeZone(instant, zone, 'EEE d MMM yyyy');
}

/** "16:00" in the course's zone. */
export function formatTime(instant: Date, zone: string): string {
	return formatInTimeZone(instant, zone, 'HH:mm');
}

/** "Wed 6 Dec 2026, 16:00–18:00 (Europe/Berlin)": a lecture's slot, zone named. */
export function formatSlot(start: Date, end: Date, zone: string): string {
	const sameDay = formatDay(start, zone) === formatDay(end, zone);
	const endText = sameDay
		? formatTime(end, zone)
		: `${formatDay(end, zone)}, ${formatTime(end, zone)}`;
	return `${formatDay(start, zone)}, ${formatTime(start, zone)}–${endText} (${zone})`;
}

/** "6 Dec 2026, 09:30" for timestamps such as an announcement's. */
export function formatDateTime(instant: Date, zone: string): string {
	return formatInTimeZone(instant, zone, 'd MMM yyyy, HH:mm');
}
