import { Range } from './funnel.rules';

/**
 * The bounds of at most two ranges (a report's partial edge hours, or the whole hours either
 * side of its whole days) as four query parameters: a missing range is empty, so one statement
 * serves both.
 */
export function edgeParams(ranges: Range[]): [Date, Date, Date, Date] {
  if (ranges.length > 2) throw new Error('At most two ranges');
  const [a = { from: 0, to: 0 }, b = { from: 0, to: 0 }] = ranges;
  return [new Date(a.from), new Date(a.to), new Date(b.from), new Date(b.to)];
}
