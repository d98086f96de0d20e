import {
  Actor,
  ATTRIBUTION_FLAGS,
  AttributionVia,
  BookingSource,
  Channel,
  ExplainStepView,
  FLYING_ORDER_REASONS,
  FlyingOrderReason,
  maskPhone,
  Role,
} from '@o2o/contracts';
import { hasRole } from '@o2o/platform';
import { LeadOwnerFact } from '../sources/lead-owners.repository';
import { BookingFact } from '../sources/source-bookings.repository';
import { ConsultationFact } from '../sources/source-consultations.repository';
import { PhoneFacts } from '../sources/sources.service';
import { CardFact, channelOfCardNo } from '../sources/sources.rules';

const DAY_MS = 86_400_000;
/** How many phone-match candidates the explanation lists; the rest are older still. */
const EXPLAINED_CANDIDATES = 20;

/** The deal as attribution reads it from deal.closed. */
export interface ClosedDeal {
  dealId: string;
  storeId: string;
  brandId: string;
  staffId: string;
  phone: string;
  cardNo: string | null;
  bookingId: string | null;
  consultationId: string | null;
  /** The card's source when a card was redeemed, else the booking's. */
  source: BookingSource | null;
  closedAt: Date;
}

export interface OnlineSource {
  via: AttributionVia;
  channel: Channel | null;
  campaign: string | null;
  agentId: string | null;
  /** card:<no> or booking:<id>. */
  ref: string | null;
}

export interface Decision {
  online: OnlineSource;
  explain: ExplainStepView[];
}

const describe = (s: { channel: Channel | null; campaign: string | null; agentId: string | null }) =>
  [`channel ${s.channel ?? 'unknown'}`, s.campaign ? `campaign ${s.campaign}` : 'no campaign', s.agentId ? `agent ${s.agentId}` : 'no agent'].join(', ');

const days = (ms: number) => Math.floor(ms / DAY_MS);

/** A booking's agent, or else that of the consultation it came from. */
function agentOf(
  agentId: string | null,
  consultationId: string | null,
  consultations: ConsultationFact[],
): { agentId: string | null; fromConsultation: boolean } {
  if (agentId) return { agentId, fromConsultation: false };
  const consultation = consultationId ? consultations.find((c) => c.consultationId === consultationId) : undefined;
  return consultation?.agentId ? { agentId: consultation.agentId, fromConsultation: true } : { agentId: null, fromConsultation: false };
}

type Candidate = { kind: 'card'; at: Date | null; card: CardFact } | { kind: 'booking'; at: Date; booking: BookingFact };

const candidateRef = (c: Candidate) => (c.kind === 'card' ? `card:${c.card.cardNo}` : `booking:${c.booking.bookingId}`);

/** Why a phone-match candidate cannot be taken, or undefined when it can. */
function passedOver(c: Candidate, deal: ClosedDeal, windowDays: number): string | undefined {
  if (c.kind === 'card') {
    if (c.card.status === 'void') return 'the card was voided';
    if (c.card.status === 'redeemed' && c.card.dealId !== deal.dealId)
      return `the card was redeemed in another deal${c.card.dealId ? ` (${c.card.dealId})` : ''}`;
    if (!c.at) return 'when the card was bought is not known';
    if (!c.card.channel) return "the card's source is not known";
  }
  const at = c.at!;
  if (at > deal.closedAt) return `made ${at.toISOString()}, after the close`;
  const before = deal.closedAt.getTime() - at.getTime();
  if (before > windowDays * DAY_MS) return `made ${days(before)} days before the close, outside the ${windowDays}-day window`;
  return undefined;
}

/**
 * Which online source a deal is credited to, in order: the card redeemed in the deal; else the
 * deal's booking; else the newest card or booking of the same phone inside the window before the
 * close (phone_match); else none. Each candidate considered is explained, taken or not.
 */
export function attribute(deal: ClosedDeal, facts: PhoneFacts, windowDays: number): Decision {
  const explain: ExplainStepView[] = [];

  if (deal.cardNo) {
    const card = facts.card;
    const channel = deal.source?.channel ?? card?.channel ?? channelOfCardNo(deal.cardNo);
    const source = deal.source
      ? { channel, campaign: deal.source.campaign ?? null, agentId: deal.source.agentId ?? null }
      : { channel, campaign: card?.campaign ?? null, agentId: card?.agentId ?? null };
    if (channel) {
      explain.push({ step: 'card', candidate: `card:${deal.cardNo}`, taken: true, why: `the card was redeemed in this deal; its source: ${describe(source)}` });
      return { online: { via: 'card', ...source, ref: `card:${deal.cardNo}` }, explain };
    }
    explain.push({ step: 'card', candidate: `card:${deal.cardNo}`, taken: false, why: "the card's source is not known" });
  } else {
    explain.push({ step: 'card', taken: false, why: 'no card was redeemed in this deal' });
  }

  if (deal.bookingId) {
    const booking = facts.booking;
    const base = deal.source ?? (booking ? { channel: booking.channel, campaign: booking.campaign, agentId: booking.agentId } : undefined);
    if (base?.channel) {
      const agent = agentOf(base.agentId ?? null, booking?.consultationId ?? deal.consultationId, facts.consultations);
      const source = { channel: base.channel, campaign: base.campaign ?? null, agentId: agent.agentId };
      const from = agent.fromConsultation ? ' (the agent from its consultation)' : '';
      explain.push({
        step: 'booking',
        candidate: `booking:${deal.bookingId}`,
        taken: true,
        why: `the deal's own booking; its source: ${describe(source)}${from}`,
      });
      return { online: { via: 'booking', ...source, ref: `booking:${deal.bookingId}` }, explain };
    }
    explain.push({ step: 'booking', candidate: `booking:${deal.bookingId}`, taken: false, why: "the booking's source is not known" });
  } else {
    explain.push({ step: 'booking', taken: false, why: 'the deal names no booking' });
  }

  const candidates: Candidate[] = [
    ...facts.cards.filter((c) => c.cardNo !== deal.cardNo).map((card): Candidate => ({ kind: 'card', at: card.activatedAt, card })),
    ...facts.bookings.filter((b) => b.bookingId !== deal.bookingId).map((booking): Candidate => ({ kind: 'booking', at: booking.at, booking })),
  ].sort((a, b) => (b.at?.getTime() ?? -Infinity) - (a.at?.getTime() ?? -Infinity) || candidateRef(a).localeCompare(candidateRef(b)));
  let taken: OnlineSource | undefined;
  for (const [i, c] of candidates.entries()) {
    const ref = candidateRef(c);
    const why = taken ? 'older than the one taken' : passedOver(c, deal, windowDays);
    if (!why && !taken) {
      const agent =
        c.kind === 'card' ? { agentId: c.card.agentId, fromConsultation: false } : agentOf(c.booking.agentId, c.booking.consultationId, facts.consultations);
      const source = c.kind === 'card' ? { channel: c.card.channel, campaign: c.card.campaign } : { channel: c.booking.channel, campaign: c.booking.campaign };
      taken = { via: 'phone_match', channel: source.channel, campaign: source.campaign, agentId: agent.agentId, ref };
      const made = `made ${days(deal.closedAt.getTime() - c.at!.getTime())} days before the close`;
      explain.push({
        step: 'phone_match',
        candidate: ref,
        taken: true,
        why: `the newest card or booking of the phone inside the ${windowDays}-day window (${made}); its source: ${describe(taken)}`,
      });
    } else if (i < EXPLAINED_CANDIDATES) {
      explain.push({ step: 'phone_match', candidate: ref, taken: false, why: why! });
    }
  }
  if (taken) return { online: taken, explain };
  if (candidates.length === 0) explain.push({ step: 'phone_match', taken: false, why: `no card or booking of ${maskPhone(deal.phone)} is known` });

  explain.push({ step: 'none', taken: true, why: 'no card, booking or phone match: the deal is credited to no online source' });
  return { online: { via: 'none', channel: null, campaign: null, agentId: null, ref: null }, explain };
}

export interface FlyingOrderCheck {
  flags: string[];
  reasons: FlyingOrderReason[];
  explain: ExplainStepView[];
}

const usableFor = (card: CardFact, deal: ClosedDeal) =>
  card.status === 'active' &&
  (card.brandIds.length === 0 || card.brandIds.includes(deal.brandId)) &&
  (!card.validFrom || card.validFrom <= deal.closedAt) &&
  (!card.validTo || card.validTo > deal.closedAt) &&
  (!card.activatedAt || card.activatedAt <= deal.closedAt);

const protects = (lead: LeadOwnerFact, deal: ClosedDeal) =>
  lead.ownerId !== null && lead.storeId !== null && lead.storeId !== deal.storeId && lead.since <= deal.closedAt && lead.protectedUntil > deal.closedAt;

/**
 * A deal that dodges attribution is a suspected flying order: closed without a card while the
 * phone holds an active card usable for the brand, or closed by a store other than the lead
 * owner's while the lead is protected.
 */
export function flyingOrder(deal: ClosedDeal, facts: Pick<PhoneFacts, 'cards' | 'leads'>): FlyingOrderCheck {
  const reasons: FlyingOrderReason[] = [];
  const explain: ExplainStepView[] = [];
  if (!deal.cardNo) {
    const held = facts.cards.filter((c) => usableFor(c, deal));
    for (const card of held) {
      explain.push({
        step: 'flag',
        candidate: `card:${card.cardNo}`,
        taken: true,
        why: `${ATTRIBUTION_FLAGS.flyingOrderSuspect}: closed without a card while the phone holds this active card, usable for the brand`,
      });
    }
    if (held.length) reasons.push(FLYING_ORDER_REASONS.activeCardNotUsed);
  }
  const protectedLeads = facts.leads.filter((l) => protects(l, deal));
  for (const lead of protectedLeads) {
    explain.push({
      step: 'flag',
      candidate: `lead:${lead.leadId}`,
      taken: true,
      why: `${ATTRIBUTION_FLAGS.flyingOrderSuspect}: closed by store ${deal.storeId}, while the lead belongs to ${lead.ownerId} of store ${lead.storeId} and is protected until ${lead.protectedUntil.toISOString()}`,
    });
  }
  if (protectedLeads.length) reasons.push(FLYING_ORDER_REASONS.outsideOwnerStore);
  return { flags: reasons.length ? [ATTRIBUTION_FLAGS.flyingOrderSuspect] : [], reasons, explain };
}

/**
 * Who reads a deal's attribution: ops and admin, and the manager of the deal's store, all of it;
 * the closer and the credited agent, with their own entries only. Anyone else: undefined.
 */
export function attributionReader(actor: Actor, deal: { storeId: string; staffId: string; agentId: string | null }): 'all' | 'own' | undefined {
  if (actor.kind !== 'staff') return undefined;
  if (hasRole(actor, Role.Ops)) return 'all';
  if (actor.roles.includes(Role.StoreManager) && actor.storeId === deal.storeId) return 'all';
  if (actor.staffId !== undefined && (actor.staffId === deal.staffId || actor.staffId === deal.agentId)) return 'own';
  return undefined;
}

/** deal.closed as attribution reads it, or undefined when its amounts or times are not usable. */
export function closedDealOf(e: {
  dealId: string;
  storeId: string;
  brandId: string;
  staffId: string;
  phone: string;
  cardNo?: string | null;
  bookingId?: string | null;
  consultationId?: string | null;
  source?: BookingSource | null;
  amountFen: number;
  budgetFen?: number | null;
  closedAt: string;
}): (ClosedDeal & { amountFen: number; budgetFen: number | null }) | undefined {
  const closedAt = new Date(e.closedAt);
  const budgetFen = e.budgetFen ?? null;
  if (Number.isNaN(closedAt.getTime()) || !Number.isSafeInteger(e.amountFen) || e.amountFen <= 0) return undefined;
  if (budgetFen !== null && (!Number.isSafeInteger(budgetFen) || budgetFen < 0)) return undefined;
  return {
    dealId: e.dealId.toLowerCase(),
    storeId: e.storeId,
    brandId: e.brandId,
    staffId: e.staffId,
    phone: e.phone,
    cardNo: e.cardNo || null,
    bookingId: e.bookingId || null,
    consultationId: e.consultationId || null,
    source: e.source?.channel ? e.source : null,
    amountFen: e.amountFen,
    budgetFen,
    closedAt,
  };
}

/** The rules step of the explanation. */
export function rulesStep(
  rules:
    | { version: number; effectiveFrom: Date; onlineRate: number; offlineRate: number; premiumRate: number; platformFeeRate: number; approvalDelayDays: number }
    | undefined,
  windowDays: number,
): ExplainStepView {
  if (!rules) {
    return { step: 'rules', taken: false, why: `no commission rules were in force at the close: no entries; the default ${windowDays}-day window was used` };
  }
  return {
    step: 'rules',
    candidate: `v${rules.version}`,
    taken: true,
    why:
      `version ${rules.version}, in force since ${rules.effectiveFrom.toISOString()} (the newest set at or before the close): ` +
      `online ${rules.onlineRate} bp, offline ${rules.offlineRate} bp, premium ${rules.premiumRate} bp, platform fee ${rules.platformFeeRate} bp, ` +
      `window ${windowDays} days, approved ${rules.approvalDelayDays} days after the close`,
  };
}

/** The shares that make no entry, and why: no agent, no premium, or 0 fen once rounded. */
export function missingShares(
  deal: { amountFen: number; budgetFen: number | null },
  agentId: string | null,
  shares: { party: string; kind: string; amountFen: number; basis: string }[],
): ExplainStepView[] {
  const notes: ExplainStepView[] = [];
  if (!agentId) notes.push({ step: 'entry', candidate: 'online_agent base', taken: false, why: 'no online agent is known: no online share' });
  if (deal.budgetFen === null) notes.push({ step: 'entry', candidate: 'offline_closer premium', taken: false, why: 'no budget is known: no premium' });
  else if (deal.amountFen <= deal.budgetFen) {
    notes.push({
      step: 'entry',
      candidate: 'offline_closer premium',
      taken: false,
      why: `the amount ${deal.amountFen} does not pass the budget ${deal.budgetFen}: no premium`,
    });
  }
  for (const s of shares.filter((x) => x.amountFen === 0)) {
    notes.push({ step: 'entry', candidate: `${s.party} ${s.kind}`, taken: false, why: `${s.basis}: no entry of 0 fen` });
  }
  return notes;
}
