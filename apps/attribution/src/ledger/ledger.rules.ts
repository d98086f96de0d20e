import { Actor, CommissionStatus, Role } from '@o2o/contracts';
import { hasRole } from '@o2o/platform';

/** Whose entries a caller reads: everyone's (ops, admin), their own (other staff, by staffId), or none. */
export type LedgerScope = { all: true } | { all: false; staffId: string | null };

export function ledgerReader(actor: Actor): LedgerScope | undefined {
  if (actor.kind !== 'staff') return undefined;
  if (hasRole(actor, Role.Ops)) return { all: true };
  if (hasRole(actor, Role.Agent, Role.StoreStaff, Role.StoreManager)) return { all: false, staffId: actor.staffId ?? null };
  return undefined;
}

/**
 * A clawback takes its entry's standing: waiting with an entry not approved yet (so both are
 * approved together), approved at once for an entry approved or already paid (then it is carried
 * into the next statement), and reversed with a reversed entry.
 */
export function clawbackStatus(entry: CommissionStatus): CommissionStatus {
  switch (entry) {
    case 'pending':
      return 'pending';
    case 'approved':
    case 'paid':
      return 'approved';
    case 'reversed':
      return 'reversed';
  }
}

/**
 * An entry fully clawed back before any of it was paid is reversed, clawbacks and all: nothing
 * of it will ever be paid. One already paid stays paid; its clawbacks go to the next statement.
 */
export function reversesWhollyClawedBack(entry: { amountFen: number; status: CommissionStatus; statementId: string | null }, clawedBackFen: number): boolean {
  return clawedBackFen === -entry.amountFen && (entry.status === 'pending' || entry.status === 'approved') && entry.statementId === null;
}
