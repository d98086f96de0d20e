import { LeadStatus } from '@o2o/contracts';

/** The moves a lead's status may make; anything else is a conflict. */
export const LEAD_MOVES: Record<LeadStatus, readonly LeadStatus[]> = {
  draft: ['active', 'archived'],
  active: ['archived'],
  archived: [],
};

export const canMove = (from: LeadStatus, to: LeadStatus): boolean => LEAD_MOVES[from].includes(to);

/** The statuses a lead may be moved to `to` from. */
export const movableTo = (to: LeadStatus): LeadStatus[] =>
  (Object.keys(LEAD_MOVES) as LeadStatus[]).filter((from) => canMove(from, to));
