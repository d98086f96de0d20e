import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  ConflictQueryDto,
  ConflictView,
  DealAttributionView,
  DealClosedEvent,
  DealRefundedEvent,
  ExplainStepView,
  maskPhone,
  Page,
  Role,
} from '@o2o/contracts';
import { Clock, CLOCK, decodeIdCursor, DEFAULT_PAGE_SIZE, forbidden, LOGGER, notFound, requireRoles, toPage } from '@o2o/platform';
import type { Logger } from 'pino';
import { DealCredit } from '../events/steps';
import { commissionShares, refundSliceProblem } from '../ledger/commission.rules';
import { Commission, toCommissionView } from '../ledger/commissions.repository';
import { LedgerService } from '../ledger/ledger.service';
import { RulesService } from '../rules/rules.service';
import { SourcesService } from '../sources/sources.service';
import { attribute, attributionReader, closedDealOf, flyingOrder, missingShares, rulesStep } from './credit.rules';
import { DealAttribution, DealAttributionsRepository } from './deal-attributions.repository';

/** The window used when no rules were in force at the close. */
export const DEFAULT_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/** Whom a deal was credited to online, as the funnel counts it. */
const creditOf = (a: DealAttribution): DealCredit => ({ channel: a.channel ?? 'none', agentId: a.agentId });

const entryStep = (c: Commission): ExplainStepView =>
  c.kind === 'clawback'
    ? { step: 'clawback', candidate: `${c.party} clawback of ${c.clawbackOf}`, taken: true, why: c.basis }
    : { step: 'entry', candidate: `${c.party} ${c.kind}`, taken: true, why: c.basis };

/**
 * Deal credit: each deal attributed once, when its deal.closed first arrives, to the source the
 * lookup order finds, with its flags and its entries by the rules in force at the close; each
 * refund clawed back once. Runs inside the transaction that records the event.
 */
@Injectable()
export class CreditService {
  constructor(
    private readonly attributions: DealAttributionsRepository,
    private readonly sources: SourcesService,
    private readonly rules: RulesService,
    private readonly ledger: LedgerService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async dealClosed(e: DealClosedEvent): Promise<DealCredit> {
    const known = await this.attributions.find(e.dealId.toLowerCase());
    // A repeat, under any event id, answers the first credit and changes nothing.
    if (known) return creditOf(known);
    const deal = closedDealOf(e);
    if (!deal) {
      this.logger.error({ dealId: e.dealId }, 'deal.closed without a usable amount, budget or time; not credited');
      return { channel: 'none', agentId: null };
    }
    const rules = await this.rules.inForceAt(deal.closedAt);
    const windowDays = rules?.attributionWindowDays ?? DEFAULT_WINDOW_DAYS;
    const facts = await this.sources.factsFor(deal);
    const decision = attribute(deal, facts, windowDays);
    const check = flyingOrder(deal, facts);
    const shares = rules ? commissionShares(deal, rules, { agentId: decision.online.agentId, closerId: deal.staffId }) : [];
    const explain = [
      ...decision.explain,
      ...check.explain,
      rulesStep(rules, windowDays),
      ...(rules ? missingShares(deal, decision.online.agentId, shares) : []),
    ];
    const inserted = await this.attributions.insert({
      dealId: deal.dealId,
      storeId: deal.storeId,
      brandId: deal.brandId,
      staffId: deal.staffId,
      phone: deal.phone,
      amountFen: deal.amountFen,
      budgetFen: deal.budgetFen,
      closedAt: deal.closedAt,
      via: decision.online.via,
      channel: decision.online.channel,
      campaign: decision.online.campaign,
      agentId: decision.online.agentId,
      sourceRef: decision.online.ref,
      ruleVersion: rules?.version ?? null,
      flags: check.flags,
      reasons: check.reasons,
      explain,
    });
    // Another delivery credited it meanwhile: its credit stands.
    if (!inserted) return creditOf((await this.attributions.find(deal.dealId))!);
    if (rules) {
      const approveAfter = new Date(deal.closedAt.getTime() + rules.approvalDelayDays * DAY_MS);
      await this.ledger.recordDeal({ dealId: deal.dealId, storeId: deal.storeId, closedAt: deal.closedAt }, shares, approveAfter);
    }
    return creditOf(inserted);
  }

  async dealRefunded(e: DealRefundedEvent): Promise<void> {
    const attribution = await this.attributions.lock(e.dealId.toLowerCase());
    // Thrown, not skipped: the queue retries the refund until its deal.closed has been credited.
    if (!attribution) throw new Error(`deal.refunded ${e.refundId} arrived before deal.closed of deal ${e.dealId}; retried until the deal is credited`);
    const slice = { dealAmountFen: attribution.amountFen, refundedBeforeFen: e.refundedTotalFen - e.amountFen, refundedTotalFen: e.refundedTotalFen };
    const problem = refundSliceProblem(slice);
    if (problem) {
      this.logger.error({ dealId: e.dealId, refundId: e.refundId, problem }, 'deal.refunded that does not fit its deal; no clawback');
      return;
    }
    const at = new Date(e.at);
    await this.ledger.clawBack(
      { dealId: attribution.dealId, storeId: attribution.storeId },
      { ...slice, refundId: e.refundId, at: Number.isNaN(at.getTime()) ? this.clock.now() : at },
    );
  }

  async get(dealId: string, actor: Actor): Promise<DealAttributionView> {
    if (actor.kind !== 'staff') throw forbidden("A deal's attribution is read by staff");
    const a = await this.attributions.find(dealId.toLowerCase());
    const access = a && attributionReader(actor, a);
    if (!a || !access) throw notFound('Deal attribution');
    const lines = await this.ledger.ofDeal(a.dealId);
    const visible = access === 'all' ? lines : lines.filter((l) => l.staffId !== null && l.staffId === actor.staffId);
    return {
      dealId: a.dealId,
      online: {
        via: a.via,
        ...(a.channel ? { channel: a.channel } : {}),
        ...(a.campaign ? { campaign: a.campaign } : {}),
        ...(a.agentId ? { agentId: a.agentId } : {}),
      },
      offline: { storeId: a.storeId, staffId: a.staffId },
      commissions: visible.map(toCommissionView),
      flags: a.flags,
      explain: [...a.explain, ...visible.map(entryStep)],
      ruleVersion: a.ruleVersion,
      amountFen: a.amountFen,
      budgetFen: a.budgetFen,
      closedAt: a.closedAt.toISOString(),
    };
  }

  async conflicts(query: ConflictQueryDto, actor: Actor): Promise<Page<ConflictView>> {
    requireRoles(actor, Role.Ops);
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.attributions.flagged(size + 1, decodeIdCursor(query.cursor));
    return toPage(
      rows,
      size,
      (r) => [r.dealId],
      (r): ConflictView => ({
        dealId: r.dealId,
        storeId: r.storeId,
        brandId: r.brandId,
        staffId: r.staffId,
        phoneMasked: maskPhone(r.phone),
        amountFen: r.amountFen,
        closedAt: r.closedAt.toISOString(),
        via: r.via,
        flags: r.flags,
        reasons: r.reasons,
      }),
    );
  }
}
