import { MigrationInterface, QueryRunner } from 'typeorm';

export class Leads1795418350801 implements MigrationInterface {
  name = 'Leads1795418350801';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        team text NOT NULL CHECK (team IN ('online', 'offline')),
        role text NOT NULL CHECK (role IN ('agent', 'store_staff', 'store_manager')),
        store_id uuid,
        brand_ids uuid[] NOT NULL DEFAULT '{}',
        daily_capacity int NOT NULL CHECK (daily_capacity BETWEEN 0 AND 1000),
        active boolean NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (team = 'online' OR store_id IS NOT NULL),
        CHECK ((team = 'online') = (role = 'agent'))
      )`);
    await q.query(`CREATE INDEX staff_by_store ON staff (store_id, id) WHERE team = 'offline'`);

    // One row: the policy every routing decision reads.
    await q.query(`
      CREATE TABLE assignment_policy (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        strategy text NOT NULL CHECK (strategy IN ('round_robin', 'least_loaded', 'weighted')),
        contact_sla_minutes int NOT NULL CHECK (contact_sla_minutes BETWEEN 1 AND 10080),
        protection_days int NOT NULL CHECK (protection_days BETWEEN 0 AND 365),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO assignment_policy (strategy, contact_sla_minutes, protection_days) VALUES ('round_robin', 30, 30)`);

    // Routing facts: leads' own copy of the catalog's stores and tenancies, fed by its events.
    await q.query(`CREATE TABLE known_stores (id uuid PRIMARY KEY, city text NOT NULL, as_of timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX known_stores_by_city ON known_stores (city, id)`);
    await q.query(`CREATE TABLE known_brands (id uuid PRIMARY KEY, name text NOT NULL, as_of timestamptz NOT NULL)`);
    await q.query(`
      CREATE TABLE store_brands (
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        city text NOT NULL,
        as_of timestamptz NOT NULL,
        PRIMARY KEY (store_id, brand_id)
      )`);
    await q.query(`CREATE INDEX store_brands_by_brand ON store_brands (brand_id, store_id)`);

    await q.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        phone text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
        city text NOT NULL,
        store_id uuid,
        brand_ids uuid[] NOT NULL DEFAULT '{}',
        booking_ids text[] NOT NULL DEFAULT '{}',
        owner_id uuid REFERENCES staff (id),
        status text NOT NULL CHECK (status IN ('unassigned', 'assigned', 'contacted', 'visited', 'won', 'lost')),
        assignment_no int NOT NULL DEFAULT 0,
        sla_due_at timestamptz,
        protected_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK ((status = 'unassigned') = (owner_id IS NULL) OR status IN ('visited', 'won', 'lost'))
      )`);
    // At most one open lead per phone: two intakes of one phone at once make one lead.
    await q.query(`CREATE UNIQUE INDEX leads_one_open_per_phone ON leads (phone) WHERE status NOT IN ('won', 'lost')`);
    await q.query(`CREATE INDEX leads_queue ON leads (store_id, created_at) WHERE status = 'unassigned'`);
    await q.query(`CREATE INDEX leads_by_owner ON leads (owner_id) WHERE status IN ('assigned', 'contacted')`);
    await q.query(`CREATE INDEX leads_sla_due ON leads (sla_due_at) WHERE status = 'assigned'`);

    await q.query(`
      CREATE TABLE lead_history (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads (id),
        at timestamptz NOT NULL,
        action text NOT NULL,
        from_staff_id uuid,
        to_staff_id uuid,
        reason text
      )`);
    await q.query(`CREATE INDEX lead_history_by_lead ON lead_history (lead_id, seq)`);
    // Today's assignments per person: the capacity check.
    await q.query(`CREATE INDEX lead_history_assignments ON lead_history (to_staff_id, at) WHERE action IN ('assigned', 'reassigned')`);

    // Round robin: the last person given a lead, per store and brand (the nil uuid for "any brand").
    await q.query(`
      CREATE TABLE rotation_cursors (
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        last_staff_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, brand_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['rotation_cursors', 'lead_history', 'leads', 'store_brands', 'known_brands', 'known_stores', 'assignment_policy', 'staff']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
