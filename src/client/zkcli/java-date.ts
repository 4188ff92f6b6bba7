// java.util.Date.toString() ("EEE MMM dd HH:mm:ss zzz yyyy") for a millisecond timestamp in a given
// time zone. It never reads a clock: the milliseconds come from a Stat.

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 16;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      year: 'numeric',
      timeZoneName: 'short',
    });
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Formats like Java's Date.toString(), e.g. "Sat Nov 21 23:21:00 UTC 2026". The zone abbreviation
 * comes from Intl (en-US short names): identical to Java for UTC/GMT and the US zones; other zones
 * may print "GMT+1" where Java prints "CET".
 */
export function formatJavaDate(ms: number, timeZone = 'UTC'): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(ms);
  const part: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) part[p.type] = p.value;
  const zone = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 'UTC' : (part.timeZoneName ?? timeZone);
  return `${part.weekday} ${part.month} ${part.day} ${part.hour}:${part.minute}:${part.second} ${zone} ${part.year}`;
}
