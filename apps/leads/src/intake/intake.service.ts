import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENTS, LeadBookingLinkedEvent, LeadCreatedEvent, LeadStatus } from '@o2o/contracts';
import { Clock, CLOCK, newId, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { AssignmentService } from '../assignment/assignment.service';
import { LeadHistoryRepository } from '../leads/lead-history.repository';
import { canMove, OPEN_STATUSES } from '../leads/leads.rules';
import { leadFacts, LeadRow, LeadsRepository } from '../leads/leads.repository';
import { PolicyRepository } from '../policy/policy.repository';
import { WebhookNotifier } from '../webhooks/webhook-notifier';

/** Something that brings a customer in: a booking, a consultation with a phone. */
export interface Intake {
  phone: string;
  city: string;
  storeId: string | null;
  brandIds: string[];
  bookingId: string | null;
  /** For the history: "booking <id>", "consultation <id>". */
  source: string;
  /** The lead the producer already names, if any (a booking made for a known lead). */
  leadId?: string | null;
}

const DAY_MS = 24 * 3600_000;
// Losing the race for a phone's lead means the winner committed: the next read finds it.
const INTAKE_ATTEMPTS = 3;

/**
 * Makes leads, or joins the phone's open lead inside its protection period (same owner, a touch
 * in its history). Runs inside the event consumer's transaction: the lead, its history, its
 * routing and its events commit together with the record of the event.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly history: LeadHistoryRepository,
    private readonly policies: PolicyRepository,
    private readonly assignment: AssignmentService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly webhooks?: WebhookNotifier,
  ) {}

  async intake(intake: Intake): Promise<LeadRow> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < INTAKE_ATTEMPTS; attempt++) {
      const named = intake.leadId ? await this.leads.lock(intake.leadId) : undefined;
      const open = named && OPEN_STATUSES.includes(named.status) ? named : await this.leads.lockOpenByPhone(intake.phone);
      if (open && open.protected_until.getTime() > now.getTime()) return this.join(open, intake, now);
      if (open) await this.supersede(open, now);
      const policy = await this.policies.get();
      const created = await this.leads.insertOpen({
        id: newId(),
        phone: intake.phone,
        city: intake.city,
        store_id: intake.storeId,
        brand_ids: [...new Set(intake.brandIds)],
        booking_ids: intake.bookingId ? [intake.bookingId] : [],
        protected_until: new Date(now.getTime() + policy.protection_days * DAY_MS),
        created_at: now,
      });
      if (!created) continue;
      await this.history.add(created.id, { at: now, action: 'created', reason: intake.source });
      const event: LeadCreatedEvent = leadFacts(created, now);
      await writeEvent(this.dataSource.manager, EVENTS.leadCreated, event);
      if (intake.bookingId) await this.linked(created, intake.bookingId, now, created.brand_ids);
      return this.assignment.route(created, { recordMiss: true });
    }
    throw new Error(`No lead could be made or joined for ${intake.source}`);
  }

  /** A paid card only joins the phone's open lead, as a touch; a card carries no city and makes no lead. */
  async touch(phone: string, source: string): Promise<LeadRow | undefined> {
    const open = await this.leads.lockOpenByPhone(phone);
    if (open) await this.history.add(open.id, { at: this.clock.now(), action: 'touched', toStaffId: open.owner_id, reason: source });
    return open;
  }

  /** The customer came to the store (visited) or closed a deal (won): by the lead named, else the phone's open lead. */
  async progress(match: { leadId: string | null; phone: string }, to: LeadStatus.Visited | LeadStatus.Won, source: string): Promise<LeadRow | undefined> {
    const named = match.leadId ? await this.leads.lock(match.leadId) : undefined;
    const lead = named ?? (await this.leads.lockOpenByPhone(match.phone));
    // Already there or past it (a repeat, or a deal after the lead was lost): nothing to do.
    if (!lead || !canMove(to, lead.status)) return lead;
    const now = this.clock.now();
    const moved = await this.leads.move(lead.id, [lead.status], to, now);
    if (moved) await this.history.add(lead.id, { at: now, action: to, fromStaffId: lead.owner_id, reason: source });
    return moved;
  }

  private async join(lead: LeadRow, intake: Intake, now: Date): Promise<LeadRow> {
    if (intake.bookingId && lead.booking_ids.includes(intake.bookingId)) return lead; // the same booking again
    await this.history.add(lead.id, { at: now, action: 'touched', toStaffId: lead.owner_id, reason: intake.source });
    if (!intake.bookingId) return lead;
    const added = [...new Set(intake.brandIds)].filter((b) => !lead.brand_ids.includes(b));
    const merged = await this.leads.merge(lead.id, {
      storeId: intake.storeId,
      brandIds: [...lead.brand_ids, ...added],
      bookingIds: [...lead.booking_ids, intake.bookingId],
      at: now,
    });
    await this.linked(merged, intake.bookingId, now, added);
    return merged.status === LeadStatus.Unassigned ? this.assignment.route(merged, { recordMiss: true }) : merged;
  }

  /** Tells the booking its lead, and the partners of brands new to an owned lead that it is theirs too. */
  private async linked(lead: LeadRow, bookingId: string, now: Date, addedBrandIds: string[]): Promise<void> {
    await this.history.add(lead.id, { at: now, action: 'booking_linked', toStaffId: lead.owner_id, reason: `booking ${bookingId}` });
    const event: LeadBookingLinkedEvent = { ...leadFacts(lead, now), bookingId, addedBrandIds };
    const eventId = await writeEvent(this.dataSource.manager, EVENTS.leadBookingLinked, event);
    if (lead.owner_id && addedBrandIds.length > 0) await this.webhooks?.leadEvent(eventId, EVENTS.leadBookingLinked, event);
  }

  /** An open lead past its protection frees the phone for a new lead: it is closed as lost, and says why. */
  private async supersede(lead: LeadRow, now: Date): Promise<void> {
    const closed = await this.leads.move(lead.id, [lead.status], LeadStatus.Lost, now);
    if (closed)
      await this.history.add(lead.id, { at: now, action: 'lost', fromStaffId: lead.owner_id, reason: 'protection_expired: a new intake made a new lead' });
  }
}
