/** The layout of a store's appointments: its hours in its own time zone, cut into slots. */
export interface SlotLayout {
  timeZone: string;
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
}

export interface Slot {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of a time zone at an instant: its local date and minutes since local midnight. */
export function wallClock(instant: number, timeZone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** How far a time zone is ahead of UTC at an instant, in minutes. */
function offsetMinutes(instant: number, timeZone: string): number {
  const { date, minutes } = wallClock(instant, timeZone);
  const wallAsUtc = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS;
  return Math.round((wallAsUtc - Math.floor(instant / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The instant a local wall-clock time (a date, minutes after its midnight) happens in a time zone. */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS;
  const first = wall - offsetMinutes(wall, timeZone) * MINUTE_MS;
  // Around a change of offset the first guess lands on the other side of it: correct once.
  return wall - offsetMinutes(first, timeZone) * MINUTE_MS;
}

/** A real calendar day written YYYY-MM-DD (2026-02-31 is not). */
export function isCalendarDate(date: string): boolean {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === date;
}

const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** The slots of a local day: from opening, one after another, each ending by closing (past midnight when it closes before it opens). */
export function slotsOf(date: string, layout: SlotLayout): Slot[] {
  const opens = toMinutes(layout.opensAt);
  let closes = toMinutes(layout.closesAt);
  if (closes <= opens) closes += DAY_MINUTES;
  const slots: Slot[] = [];
  for (let t = opens; t + layout.slotMinutes <= closes; t += layout.slotMinutes) {
    const start = new Date(zonedInstant(date, t, layout.timeZone));
    const end = new Date(zonedInstant(date, t + layout.slotMinutes, layout.timeZone));
    // The hour skipped when clocks go forward holds no slot: its times are those after it.
    if (end > start && (slots.length === 0 || start > slots[slots.length - 1].start)) slots.push({ start, end });
  }
  return slots;
}

export type SlotLookup = { slot: Slot } | { refusal: 'outside_opening_hours' | 'not_on_slot_boundary' };

/** The slot an appointment starts, or why there is none: it must be the start of one of its day's slots. */
export function slotStartingAt(at: Date, layout: SlotLayout): SlotLookup {
  const { date } = wallClock(at.getTime(), layout.timeZone);
  // A slot past midnight belongs to the day before.
  const previous = new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MINUTES * MINUTE_MS).toISOString().slice(0, 10);
  const slots = [...slotsOf(previous, layout), ...slotsOf(date, layout)];
  const exact = slots.find((s) => s.start.getTime() === at.getTime());
  if (exact) return { slot: exact };
  const within = slots.some((s) => s.start.getTime() < at.getTime() && at.getTime() < s.end.getTime());
  return { refusal: within ? 'not_on_slot_boundary' : 'outside_opening_hours' };
}
