import { __Thing__Status } from '@o2o/contracts';

/** The moves a __thing__'s status may make; anything else is a conflict. */
export const __THING___MOVES: Record<__Thing__Status, readonly __Thing__Status[]> = {
  draft: ['active', 'archived'],
  active: ['archived'],
  archived: [],
};

export const canMove = (from: __Thing__Status, to: __Thing__Status): boolean => __THING___MOVES[from].includes(to);

/** The statuses a __thing__ may be moved to `to` from. */
export const movableTo = (to: __Thing__Status): __Thing__Status[] =>
  (Object.keys(__THING___MOVES) as __Thing__Status[]).filter((from) => canMove(from, to));
