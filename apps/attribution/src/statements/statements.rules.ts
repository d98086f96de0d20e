/** The offset of a time zone from UTC at an instant, in ms (east positive). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in a zone happens (the later reading, across a DST jump). */
export function zonedInstant(year: number, monthIndex: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, monthIndex, day);
  let instant = wall - zoneOffsetMs(wall, timeZone);
  // Once more, in case the offset at the guess differs from the offset at the answer.
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

/** Where a month (YYYY-MM) of the report time zone ends: the next month's first midnight there. */
export function periodEnd(period: string, timeZone: string): Date {
  const [year, month] = period.split('-').map(Number);
  return zonedInstant(year, month, 1, timeZone);
}
