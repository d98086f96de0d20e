import { Inject, Injectable, Optional } from '@nestjs/common';
import { Actor, EVENTS, LeadAssignedEvent, LeadReassignedEvent, LeadStatus, LeadView, ReassignLeadMessage, Role } from '@o2o/contracts';
import { Clock, CLOCK, conflict, forbidden, hasRole, Jobs, notFound, requireRoles, ruleBroken, staffStore, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { LeadHistoryRepository } from '../leads/lead-history.repository';
import { canMove, shanghaiDayStart, showsPhone } from '../leads/leads.rules';
import { leadFacts, LeadRow, LeadsRepository, leadView } from '../leads/leads.repository';
import { PolicyRepository, PolicyRow } from '../policy/policy.repository';
import { KnownStoresRepository } from '../routing-facts/known-stores.repository';
import { StoreBrandsRepository } from '../routing-facts/store-brands.repository';
import { StaffAvailability } from '../staff/staff-availability';
import { StaffRepository } from '../staff/staff.repository';
import { WebhookNotifier } from '../webhooks/webhook-notifier';
import { RotationCursorsRepository } from './rotation-cursors.repository';
import { Candidate, ineligibility, nobodyAt, nowhere, pickSalesperson, routingTargets } from './routing.rules';
import { scheduleSla } from './sla-timer';

export interface RouteOptions {
  /** Write the "nobody" decision into the history (a new lead, an expired SLA), not on every sweep. */
  recordMiss: boolean;
  /** The person the lead is taken from: never picked again for it. */
  exclude?: string | null;
  /** Why routing runs, prefixed to the reason (sla_expired). */
  cause?: 'sla_expired';
}

const SWEEP_BATCH = 200;
const DRAIN_BATCH = 100;

/**
 * Routing: a store in the lead's city where its brands are tenants (the booked store first), then
 * a salesperson there by the policy's strategy, within today's capacity. Every decision, and every
 * "nobody", goes into the lead's history with its reason. Callers hold the lead's row lock; the
 * stores are locked here, so capacity and rotation are decided one lead at a time per store.
 */
@Injectable()
export class AssignmentService extends StaffAvailability {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly history: LeadHistoryRepository,
    private readonly staff: StaffRepository,
    private readonly policies: PolicyRepository,
    private readonly stores: KnownStoresRepository,
    private readonly tenancies: StoreBrandsRepository,
    private readonly cursors: RotationCursorsRepository,
    private readonly jobs: Jobs,
    @Inject(CLOCK) private readonly clock: Clock,
    // Partners hear of their leads' assignments; absent, the core still works.
    @Optional() private readonly webhooks?: WebhookNotifier,
  ) {
    super();
  }

  /** Routes a lead the caller has locked; answers it as it now stands. */
  async route(lead: LeadRow, options: RouteOptions): Promise<LeadRow> {
    const now = this.clock.now();
    const policy = await this.policies.get();
    const tenancies = lead.brand_ids.length ? await this.tenancies.tenancies(lead.city, lead.brand_ids) : [];
    const cityStores = lead.brand_ids.length ? [] : await this.stores.inCity(lead.city);
    const targets = routingTargets({ storeId: lead.store_id, brandIds: lead.brand_ids }, tenancies, cityStores);
    await this.cursors.lockStores(targets.map((t) => t.storeId));
    const misses: string[] = [];
    for (const target of targets) {
      const people = (await this.staff.salespeople(target.storeId, target.brandId)).filter((p) => p.id !== options.exclude);
      const candidates = await this.withLoad(people, now);
      const pick = candidates.length ? pickSalesperson(policy.strategy, candidates, await this.cursors.last(target.storeId, target.brandId)) : undefined;
      if (!pick) {
        misses.push(nobodyAt(target));
        continue;
      }
      await this.cursors.advance(target.storeId, target.brandId, pick.staffId);
      const reason = options.cause ? `${options.cause}: ${pick.reason}` : pick.reason;
      return this.give(lead, { staffId: pick.staffId, storeId: target.storeId, reason, eventReason: options.cause ?? pick.reason }, policy, now);
    }
    if (lead.status === LeadStatus.Unassigned && !options.recordMiss) return lead;
    const missed = targets.length ? misses.join('; ') : nowhere({ city: lead.city, brandIds: lead.brand_ids });
    const queued = await this.leads.queue(lead.id, { statuses: [lead.status], assignmentNo: lead.assignment_no }, targets[0]?.storeId ?? null, now);
    if (!queued) throw conflict('The lead changed while it was being routed');
    await this.history.add(lead.id, {
      at: now,
      action: 'unassigned',
      fromStaffId: lead.owner_id,
      reason: options.cause ? `${options.cause}: ${missed}` : missed,
    });
    return queued;
  }

  /** The SLA timer of one assignment: reassigns the lead if that assignment is still uncontacted. */
  expireSla(leadId: string, assignmentNo: number): Promise<boolean> {
    return this.dataSource.transaction(async () => {
      const lead = await this.leads.lock(leadId);
      const due = lead?.sla_due_at && lead.sla_due_at.getTime() <= this.clock.now().getTime();
      if (!lead || !due || lead.status !== LeadStatus.Assigned || lead.assignment_no !== assignmentNo) return false;
      await this.route(lead, { recordMiss: true, exclude: lead.owner_id, cause: 'sla_expired' });
      return true;
    });
  }

  /** A store manager (of the lead's store), ops or admin gives the lead to an eligible salesperson of that store. */
  async reassign(message: ReassignLeadMessage, actor: Actor): Promise<LeadView> {
    requireRoles(actor, Role.Ops, Role.StoreManager);
    const managed = hasRole(actor, Role.Ops) ? undefined : staffStore(actor);
    if (!hasRole(actor, Role.Ops) && !managed) throw forbidden('A store manager without a store manages no leads');
    return this.dataSource.transaction(async () => {
      const lead = await this.leads.lock(message.id);
      if (!lead || (managed !== undefined && lead.store_id !== managed)) throw notFound('Lead');
      if (!canMove('reassign', lead.status)) throw conflict(`A ${lead.status} lead cannot be reassigned`);
      const person = await this.staff.find(message.toStaffId);
      if (!person) throw notFound('Staff member');
      const storeId = lead.store_id ?? person.store_id;
      if (!storeId) throw ruleBroken('The staff member works in no store', 'staff_not_salesperson');
      await this.cursors.lockStores([storeId]);
      const now = this.clock.now();
      const today = (await this.history.assignedSince([person.id], shanghaiDayStart(now))).get(person.id) ?? 0;
      const problem = ineligibility(person, { storeId, brandIds: lead.brand_ids, ownerId: lead.owner_id }, today);
      if (problem) throw ruleBroken(`The staff member cannot take this lead: ${problem}`, problem);
      const by = actor.kind === 'staff' ? (actor.staffId ?? actor.userId) : 'unknown';
      const given = await this.give(
        lead,
        { staffId: person.id, storeId, reason: `manual by ${by}: ${message.reason}`, eventReason: message.reason },
        await this.policies.get(),
        now,
      );
      const history = await this.history.of([given.id]);
      return leadView(given, history.get(given.id) ?? [], showsPhone(actor, given));
    });
  }

  /** Staff became available in a store: its waiting leads are routed now. */
  async changed(storeId: string): Promise<void> {
    await this.dataSource.transaction(async () => {
      for (const lead of await this.leads.lockQueued(storeId, DRAIN_BATCH)) await this.route(lead, { recordMiss: false });
    });
  }

  /** The periodic safety net: waiting leads routed again, SLA timers that were lost caught up. */
  async sweep(): Promise<{ assigned: number; expired: number }> {
    const assigned = await this.dataSource.transaction(async () => {
      let n = 0;
      for (const lead of await this.leads.lockQueued(null, SWEEP_BATCH)) {
        if ((await this.route(lead, { recordMiss: false })).status === LeadStatus.Assigned) n++;
      }
      return n;
    });
    let expired = 0;
    for (const due of await this.leads.slaOverdue(this.clock.now(), SWEEP_BATCH)) {
      if (await this.expireSla(due.id, due.assignment_no)) expired++;
    }
    return { assigned, expired };
  }

  private async withLoad(people: { id: string; daily_capacity: number }[], now: Date): Promise<Candidate[]> {
    if (!people.length) return [];
    const ids = people.map((p) => p.id);
    const today = await this.history.assignedSince(ids, shanghaiDayStart(now));
    const open = await this.leads.openCounts(ids);
    return people.map((p) => ({ id: p.id, dailyCapacity: p.daily_capacity, assignedToday: today.get(p.id) ?? 0, openLeads: open.get(p.id) ?? 0 }));
  }

  /** Hands the lead over (conditionally), starts its SLA timer, records why, and tells the other services. */
  private async give(
    lead: LeadRow,
    to: { staffId: string; storeId: string; reason: string; eventReason: string },
    policy: PolicyRow,
    now: Date,
  ): Promise<LeadRow> {
    const previous = lead.owner_id;
    const slaDueAt = new Date(now.getTime() + policy.contact_sla_minutes * 60_000);
    const given = await this.leads.assign(
      lead.id,
      { statuses: [lead.status], assignmentNo: lead.assignment_no },
      { ownerId: to.staffId, storeId: to.storeId, slaDueAt, at: now },
    );
    if (!given) throw conflict('The lead changed while it was being assigned');
    await this.history.add(lead.id, { at: now, action: previous ? 'reassigned' : 'assigned', fromStaffId: previous, toStaffId: to.staffId, reason: to.reason });
    await scheduleSla(this.jobs, { leadId: given.id, assignmentNo: given.assignment_no }, slaDueAt);
    const facts = leadFacts(given, now);
    if (previous) {
      const event: LeadReassignedEvent = { ...facts, fromStaffId: previous, toStaffId: to.staffId, reason: to.eventReason };
      const eventId = await writeEvent(this.dataSource.manager, EVENTS.leadReassigned, event);
      await this.webhooks?.leadEvent(eventId, EVENTS.leadReassigned, event);
    } else {
      const event: LeadAssignedEvent = { ...facts, reason: to.eventReason };
      const eventId = await writeEvent(this.dataSource.manager, EVENTS.leadAssigned, event);
      await this.webhooks?.leadEvent(eventId, EVENTS.leadAssigned, event);
    }
    return given;
  }
}
