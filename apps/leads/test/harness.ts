import { Actor, BookingCreatedEvent, Channel, EventEnvelope, EventName, EVENTS, LEADS, Role, StaffView } from '@o2o/contracts';
import { Clock, CLOCK, EventConsumer, newId, serveForTests } from '@o2o/platform';
import { createServiceHarness, ServiceHarness } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { AssignmentService } from '../src/assignment/assignment.service';
import { LeadsConfig } from '../src/leads.config';
import { LeadsModule } from '../src/leads.module';
import { leadsMigrations } from '../src/migrations';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const ops: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a1', roles: [Role.Ops] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a2', roles: [Role.Agent] };
export const anonymous: Actor = { kind: 'anonymous' };
export const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: `key-${brandId}`, brandId });
export const managerOf = (storeId: string, staffId = newId()): Actor => ({ kind: 'staff', userId: newId(), roles: [Role.StoreManager], storeId, staffId });
export const salesActor = (staff: StaffView): Actor => ({
  kind: 'staff',
  userId: newId(),
  roles: [staff.role === 'store_manager' ? Role.StoreManager : Role.StoreStaff],
  storeId: staff.storeId ?? undefined,
  staffId: staff.id,
});

/** The leads service built from its own module, served over the real transport, with its providers at hand. */
export interface Harness extends ServiceHarness {
  ds: DataSource;
  consumer: EventConsumer;
  assignment: AssignmentService;
}

export interface HarnessOptions {
  settings?: Partial<Pick<LeadsConfig, 'LEADS_SWEEP_SECONDS'>>;
  /** Replaces the kit's clock, for a test that moves time by hand (a TestClock). */
  clock?: Clock;
  /** Any other setting, as if from the environment. */
  env?: Record<string, string>;
}

export async function startLeads({ settings = { LEADS_SWEEP_SECONDS: 3600 }, clock, env = {} }: HarnessOptions = {}): Promise<Harness> {
  const h = await createServiceHarness({
    module: LeadsModule,
    schema: 'leads',
    migrations: leadsMigrations,
    serve: (module) => serveForTests(module, 'leads'),
    env: { ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])), ...env },
    override: clock ? (b) => b.overrideProvider(CLOCK).useValue(clock) : undefined,
  });
  return { ...h, ds: h.get(DataSource), consumer: h.get(EventConsumer), assignment: h.get(AssignmentService) };
}

export const envelope = <T extends object>(type: EventName, data: T, source: EventEnvelope['source'] = 'booking'): EventEnvelope =>
  ({ id: newId(), type, source, occurredAt: new Date().toISOString(), data }) as unknown as EventEnvelope;

/** A store in a city with brands as its tenants, as the catalog's events announce them. */
export async function seedStore(h: Harness, city: string, brandIds: string[], storeId = newId()): Promise<string> {
  await h.consumer.handle(envelope(EVENTS.storeCreated, { id: storeId, name: 'Store', city }, 'catalog'));
  for (const brandId of brandIds) await h.consumer.handle(envelope(EVENTS.brandJoinedStore, { storeId, brandId, booth: null, city }, 'catalog'));
  return storeId;
}

export function addStaff(h: Harness, body: Record<string, unknown>, actor: Actor = ops): Promise<StaffView> {
  return h.call<StaffView>(LEADS.createStaff, { name: 'Sales', team: 'offline', ...body }, { actor });
}

let phoneSeq = 0;
/** A fresh mobile number per call. */
export const newPhone = () => `137${String(Date.now() % 1e5).padStart(5, '0')}${String(phoneSeq++ % 1000).padStart(3, '0')}`;

export function booking(change: Partial<BookingCreatedEvent> = {}): BookingCreatedEvent {
  return {
    bookingId: newId(),
    consultationId: null,
    leadId: null,
    phone: newPhone(),
    city: 'Shanghai',
    storeId: null,
    brandIds: [],
    kind: 'store_visit',
    source: { channel: Channel.Sem, campaign: null, agentId: null, visitorId: null },
    budgetFen: null,
    at: new Date().toISOString(),
    ...change,
  };
}

export async function book(h: Harness, change: Partial<BookingCreatedEvent> = {}): Promise<BookingCreatedEvent> {
  const data = booking(change);
  await h.consumer.handle(envelope(EVENTS.bookingCreated, data));
  return data;
}

export interface LeadRowLite {
  id: string;
  owner_id: string | null;
  status: string;
  store_id: string | null;
  assignment_no: number;
}

export async function leadOf(h: Harness, phone: string): Promise<LeadRowLite> {
  const [row] = await h.ds.query('SELECT id, owner_id, status, store_id, assignment_no FROM leads WHERE phone = $1 ORDER BY created_at DESC LIMIT 1', [phone]);
  return row as LeadRowLite;
}

export async function count(h: Harness, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return n as number;
}
