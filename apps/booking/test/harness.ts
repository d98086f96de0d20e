import {
  Actor,
  BOOKING,
  BookingView,
  BrandJoinedStoreData,
  Channel,
  ErrorCode,
  EventEnvelope,
  EventName,
  EVENTS,
  LeadBookingLinkedEvent,
  LeadFacts,
  LeadStatus,
  Role,
  StaffChangedEvent,
  StoreEventData,
} from '@o2o/contracts';
import { DomainError, EventConsumer, newId, serveForTests } from '@o2o/platform';
import { createServiceHarness, ServiceHarness, ServiceHarnessOptions } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { bookingMigrations } from '../src/migrations';
import { BookingModule } from '../src/booking.module';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const ops: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a1', roles: [Role.Ops] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a2', roles: [Role.Agent] };
export const anonymous: Actor = { kind: 'anonymous' };
export const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: `key-${brandId}`, brandId });

export type StaffActor = Extract<Actor, { kind: 'staff' }> & { staffId: string; storeId: string };
/** A salesperson of a store, with the staff id a lead names as its owner. */
export const staffOf = (storeId: string, staffId = newId()): StaffActor => ({ kind: 'staff', userId: newId(), roles: [Role.StoreStaff], storeId, staffId });
/** The manager of a store. */
export const managerOf = (storeId: string, staffId = newId()): StaffActor => ({ kind: 'staff', userId: newId(), roles: [Role.StoreManager], storeId, staffId });
/** How history names a caller: `staff:<userId>`. */
export const refOf = (actor: Actor): string | null =>
  actor.kind === 'staff' ? `staff:${actor.userId}` : actor.kind === 'partner' ? `partner:${actor.brandId}` : null;

/** The booking service served over the real transport, with its providers at hand. */
export interface Harness extends ServiceHarness {
  ds: DataSource;
  consumer: EventConsumer;
}

/**
 * The booking service built from its own module and served over the real transport, with a
 * database and a Redis namespace of the test's own: `h.call(pattern, data, { actor })` goes through
 * validation, the request ledger and error mapping; `h.get(Provider)` reaches a provider;
 * `h.consumer.handle(envelope(...))` applies an event as the event queues would.
 */
export async function startBooking(options: Pick<ServiceHarnessOptions, 'env' | 'override'> = {}): Promise<Harness> {
  const h = await createServiceHarness({
    module: BookingModule,
    schema: 'booking',
    migrations: bookingMigrations,
    serve: (module) => serveForTests(module, 'booking'),
    ...options,
  });
  return { ...h, ds: h.get(DataSource), consumer: h.get(EventConsumer) };
}

export const envelope = <T extends object>(type: EventName, data: T, source: EventEnvelope['source'], occurredAt = new Date().toISOString()): EventEnvelope =>
  ({ id: newId(), type, source, occurredAt, data }) as unknown as EventEnvelope;

export interface StoreSeed {
  id?: string;
  city?: string;
  timeZone?: string;
  opensAt?: string;
  closesAt?: string;
  slotMinutes?: number;
  slotCapacity?: number;
  /** Brands that join the store (brand.joined_store), each a tenant. */
  brandIds?: string[];
}

/** A store as the catalog announces it (store.created), with its brands as tenants (brand.joined_store). */
export async function seedStore(h: Harness, seed: StoreSeed = {}): Promise<string> {
  const id = seed.id ?? newId();
  const city = seed.city ?? 'Shanghai';
  const data: StoreEventData = {
    id,
    name: `Store ${id.slice(-4)}`,
    city,
    district: null,
    address: '1 Test Rd',
    timeZone: seed.timeZone ?? 'Asia/Shanghai',
    opensAt: seed.opensAt ?? '10:00',
    closesAt: seed.closesAt ?? '21:00',
    slotMinutes: seed.slotMinutes ?? 60,
    slotCapacity: seed.slotCapacity ?? 4,
  };
  await h.consumer.handle(envelope(EVENTS.storeCreated, data, 'catalog'));
  for (const brandId of seed.brandIds ?? []) await seedTenancy(h, id, brandId, city);
  return id;
}

/** A brand becomes a tenant of a store. */
export async function seedTenancy(h: Harness, storeId: string, brandId: string, city: string): Promise<void> {
  const data: BrandJoinedStoreData = { storeId, brandId, booth: null, city };
  await h.consumer.handle(envelope(EVENTS.brandJoinedStore, data, 'catalog'));
}

/** A staff member as the leads roster announces them (staff.changed): an active salesperson of the store unless changed. */
export async function seedStaff(h: Harness, change: Partial<StaffChangedEvent> = {}, occurredAt?: string): Promise<StaffChangedEvent> {
  const data: StaffChangedEvent = {
    staffId: newId(),
    storeId: null,
    brandIds: [],
    role: 'store_staff',
    team: 'offline',
    active: true,
    at: new Date().toISOString(),
    ...change,
  };
  await h.consumer.handle(envelope(EVENTS.staffChanged, data, 'leads', occurredAt));
  return data;
}

/** Rows of a table, optionally filtered. */
export async function count(h: Harness, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return n as number;
}

/** Row counts of several tables at once, to show that a refused request wrote nothing. */
export async function counts(h: Harness, tables: string[] = ['bookings', 'booking_changes', 'outbox', 'slot_loads']): Promise<Record<string, number>> {
  const entries = await Promise.all(tables.map(async (t) => [t, await count(h, t)] as const));
  return Object.fromEntries(entries);
}

/** The payloads of the outbox events of one type about one thing (matched on a payload key). */
export async function outboxOf<T = Record<string, unknown>>(h: Harness, type: EventName, key: string, value: string): Promise<T[]> {
  const rows: { payload: T }[] = await h.ds.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>$2 = $3 ORDER BY occurred_at, id`, [
    type,
    key,
    value,
  ]);
  return rows.map((r) => r.payload);
}

let phoneSeq = 0;
/** A fresh mobile number per call. */
export const newPhone = () => `139${String(Date.now() % 1e5).padStart(5, '0')}${String(phoneSeq++ % 1000).padStart(3, '0')}`;

/** A valid booking order body, with changes. */
export function bookingBody(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer: { name: 'Ms Wang', phone: newPhone() },
    city: 'Shanghai',
    kind: 'store_visit',
    preferredAt: '2031-03-10T02:00:00.000Z',
    source: { channel: Channel.Sem, campaign: 'spring', agentId: 'agent-7', visitorId: 'v-1' },
    ...change,
  };
}

export function createBooking(h: Harness, change: Record<string, unknown> = {}, actor: Actor = anonymous, requestId?: string): Promise<BookingView> {
  return h.call<BookingView>(BOOKING.createBooking, bookingBody(change), { actor, requestId });
}

/** A booking confirmed by ops into the slot starting at `appointmentAt`. */
export async function confirmedBooking(h: Harness, change: Record<string, unknown>, appointmentAt: string): Promise<BookingView> {
  const b = await createBooking(h, change);
  return h.call<BookingView>(BOOKING.confirmBooking, { id: b.id, appointmentAt }, { actor: ops });
}

/** What a refused call carried: its code, its reason and the fields it named. */
export interface Refusal {
  code: ErrorCode | string;
  reason?: string;
  fields: string[];
}

export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, reason: e.reason, fields: (e.errors ?? []).map((f) => f.field) };
    return { code: String(e), fields: [] };
  }
  return { code: 'succeeded', fields: [] };
}

/** The facts of a lead, as the leads service sends them. */
export function leadFacts(change: Partial<LeadFacts> = {}): LeadFacts {
  return {
    leadId: newId(),
    phone: newPhone(),
    city: 'Shanghai',
    storeId: null,
    ownerId: null,
    brandIds: [],
    status: LeadStatus.Unassigned,
    slaDueAt: null,
    protectedUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    at: new Date().toISOString(),
    ...change,
  };
}

/** lead.booking_linked: the booking became (or joined) the lead. */
export async function linkLead(h: Harness, bookingId: string, facts: Partial<LeadFacts>): Promise<LeadBookingLinkedEvent> {
  const data: LeadBookingLinkedEvent = { ...leadFacts(facts), bookingId };
  await h.consumer.handle(envelope(EVENTS.leadBookingLinked, data, 'leads'));
  return data;
}

/** lead.assigned (or lead.reassigned): the lead has an owner. */
export async function assignLead(h: Harness, facts: Partial<LeadFacts>, type: EventName = EVENTS.leadAssigned): Promise<void> {
  await h.consumer.handle(envelope(type, { ...leadFacts({ status: LeadStatus.Assigned, ...facts }), reason: 'routed' }, 'leads'));
}
