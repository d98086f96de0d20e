/** The chain's calendar: dates are Shanghai's, as the API reads them by default. */
export const CHAIN_TZ = 'Asia/Shanghai';

/** A moment's date in the chain's zone, YYYY-MM-DD. */
export const chainDay = (d: Date): string => d.toLocaleDateString('sv-SE', { timeZone: CHAIN_TZ });

/** A chain date moved by n days (from its noon, so no daylight-saving edge is crossed). */
export const addDays = (date: string, n: number): string => chainDay(new Date(Date.parse(`${date}T12:00:00+08:00`) + n * 86_400_000));

/** A chain date's midnight as an ISO instant, for APIs that take instants. */
export const chainMidnight = (date: string): string => `${date}T00:00:00+08:00`;
