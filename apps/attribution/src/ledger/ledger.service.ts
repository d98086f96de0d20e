import { Inject, Injectable } from '@nestjs/common';
import { Actor, CommissionQueryDto, CommissionView, Page } from '@o2o/contracts';
import { badInput, Clock, CLOCK, decodeIdCursor, DEFAULT_PAGE_SIZE, forbidden, newId, toPage } from '@o2o/platform';
import { clawbackBasis, clawbackFen, RefundSlice, Share } from './commission.rules';
import { Commission, CommissionFilter, CommissionsRepository, NewCommission, StatementTotal, toCommissionView } from './commissions.repository';
import { clawbackStatus, ledgerReader, reversesWhollyClawedBack } from './ledger.rules';

export interface DealRef {
  dealId: string;
  storeId: string;
}

export interface RefundRef extends RefundSlice {
  refundId: string;
  at: Date;
}

/**
 * The commission ledger: entries written once when a deal is credited, clawbacks added by
 * refunds, approval once the delay has passed, payment by statements.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly commissions: CommissionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A credited deal's entries, pending until approveAfter; shares of 0 fen make no line. */
  async recordDeal(deal: DealRef & { closedAt: Date }, shares: Share[], approveAfter: Date): Promise<void> {
    const entries: NewCommission[] = shares
      .filter((s) => s.amountFen > 0)
      .map((s) => ({
        id: newId(),
        dealId: deal.dealId,
        storeId: deal.storeId,
        staffId: s.staffId,
        party: s.party,
        kind: s.kind,
        amountFen: s.amountFen,
        status: 'pending',
        clawbackOf: null,
        refundId: null,
        basis: s.basis,
        at: deal.closedAt,
        approveAfter,
      }));
    await this.commissions.insert(entries);
  }

  /**
   * One refund's clawbacks, one per entry, at most once per refund however often it is told. An
   * entry fully clawed back before it was paid is then reversed with its clawbacks.
   */
  async clawBack(deal: DealRef, refund: RefundRef): Promise<void> {
    const entries = await this.commissions.lockEntries(deal.dealId);
    const clawbacks: NewCommission[] = [];
    for (const entry of entries) {
      const amountFen = clawbackFen(entry.amountFen, refund);
      if (amountFen === 0) continue;
      clawbacks.push({
        id: newId(),
        dealId: deal.dealId,
        storeId: deal.storeId,
        staffId: entry.staffId,
        party: entry.party,
        kind: 'clawback',
        amountFen,
        status: clawbackStatus(entry.status),
        clawbackOf: entry.id,
        refundId: refund.refundId,
        basis: clawbackBasis(entry.amountFen, refund),
        at: refund.at,
        approveAfter: entry.approveAfter,
      });
    }
    await this.commissions.insert(clawbacks);
    const clawed = await this.commissions.clawedBack(entries.map((e) => e.id));
    for (const entry of entries) {
      if (reversesWhollyClawedBack(entry, clawed.get(entry.id) ?? 0)) await this.commissions.reverseWithClawbacks(entry.id);
    }
  }

  ofDeal(dealId: string): Promise<Commission[]> {
    return this.commissions.ofDeal(dealId);
  }

  /** Approves what is due by the service's clock. */
  approveDue(): Promise<number> {
    return this.commissions.approveDue(this.clock.now());
  }

  payInto(statementId: string, periodEnd: Date): Promise<number> {
    return this.commissions.payInto(statementId, periodEnd);
  }

  totalsOf(statementId: string): Promise<StatementTotal[]> {
    return this.commissions.totalsOf(statementId);
  }

  async list(query: CommissionQueryDto, actor: Actor): Promise<Page<CommissionView>> {
    const scope = ledgerReader(actor);
    if (!scope) throw forbidden('Commissions are read by staff: ops and admin all of them, others their own');
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw badInput('from must be before to', [{ field: 'to', message: 'must be after from' }]);
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeIdCursor(query.cursor);
    // Someone else's entries read as none, as if there were none to show.
    if (!scope.all && (scope.staffId === null || (query.staffId !== undefined && query.staffId !== scope.staffId))) return { items: [], nextCursor: null };
    const filter: CommissionFilter = { staffId: scope.all ? query.staffId : (scope.staffId ?? undefined), status: query.status, from, to };
    const rows = await this.commissions.page(filter, size + 1, cursor);
    return toPage(rows, size, (r) => [r.id], toCommissionView);
  }
}
