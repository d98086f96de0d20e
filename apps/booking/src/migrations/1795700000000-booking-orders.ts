import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consultations, booking orders with their history, slot loads, deals and refunds, plus booking's
 * copy of the stores and their tenants from the catalog's events. Constraints back every rule
 * that concurrency could break: a slot's load never passes its capacity, one live deal per
 * request, refunds never pass the deal's amount, and a discount only with a card.
 */
export class BookingOrders1795700000000 implements MigrationInterface {
  name = 'BookingOrders1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stores (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        city text NOT NULL,
        time_zone text NOT NULL,
        opens_at text NOT NULL,
        closes_at text NOT NULL,
        slot_minutes integer NOT NULL CHECK (slot_minutes > 0),
        slot_capacity integer NOT NULL CHECK (slot_capacity > 0),
        as_of timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX stores_city ON stores (city)');
    await q.query(`
      CREATE TABLE store_brands (
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        city text NOT NULL,
        as_of timestamptz NOT NULL,
        PRIMARY KEY (store_id, brand_id)
      )`);
    await q.query('CREATE INDEX store_brands_brand ON store_brands (brand_id)');

    await q.query(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY,
        visitor_id text,
        channel text NOT NULL,
        campaign text,
        agent_id text,
        phone text CHECK (phone ~ '^1[0-9]{10}$'),
        city text NOT NULL,
        style text,
        budget_fen integer CHECK (budget_fen >= 0),
        area_sqm numeric(10, 2),
        notes text,
        recorded_by text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('created', 'confirmed', 'visited', 'cancelled', 'no_show')),
        kind text NOT NULL CHECK (kind IN ('store_visit', 'home_measure')),
        city text NOT NULL,
        store_id uuid,
        brand_ids uuid[] NOT NULL DEFAULT '{}',
        consultation_id uuid REFERENCES consultations (id),
        lead_id uuid,
        customer_name text NOT NULL,
        phone text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
        preferred_at timestamptz NOT NULL,
        appointment_at timestamptz,
        address text,
        budget_fen integer CHECK (budget_fen >= 0),
        style text,
        area_sqm numeric(10, 2),
        source_channel text NOT NULL,
        source_campaign text,
        source_agent_id text,
        source_visitor_id text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'home_measure' OR address IS NOT NULL),
        -- A confirmed booking holds a slot; one never confirmed holds none.
        CHECK (status <> 'confirmed' OR (appointment_at IS NOT NULL AND store_id IS NOT NULL))
      )`);
    await q.query('CREATE INDEX bookings_store ON bookings (store_id, id)');
    await q.query('CREATE INDEX bookings_lead ON bookings (lead_id)');
    await q.query('CREATE INDEX bookings_phone ON bookings (phone)');
    // Who owns each lead, from the lead events (which may arrive in any order).
    await q.query(`
      CREATE TABLE lead_owners (
        lead_id uuid PRIMARY KEY,
        owner_id uuid,
        store_id uuid,
        as_of timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE booking_changes (
        id uuid PRIMARY KEY,
        booking_id uuid NOT NULL REFERENCES bookings (id),
        from_status text,
        to_status text NOT NULL,
        changed_by text,
        reason text,
        appointment_at timestamptz,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX booking_changes_booking ON booking_changes (booking_id, at)');

    // One row per slot that holds a booking: taking a place is one conditional upsert.
    await q.query(`
      CREATE TABLE slot_loads (
        store_id uuid NOT NULL,
        slot_start timestamptz NOT NULL,
        booked integer NOT NULL CHECK (booked >= 0),
        PRIMARY KEY (store_id, slot_start)
      )`);

    await q.query(`
      CREATE TABLE deals (
        id uuid PRIMARY KEY,
        -- The request that asked for it: a retry finds its deal, whatever state it reached.
        request_id text NOT NULL,
        -- pending: the card's redemption is under way; compensating: being undone; abandoned: undone.
        status text NOT NULL CHECK (status IN ('pending', 'closed', 'compensating', 'abandoned')),
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        staff_id uuid NOT NULL,
        city text NOT NULL,
        phone text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
        customer_name text,
        booking_id uuid REFERENCES bookings (id),
        consultation_id uuid,
        lead_id uuid,
        card_no text,
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        discount_fen integer NOT NULL DEFAULT 0 CHECK (discount_fen >= 0 AND discount_fen <= amount_fen),
        refunded_fen integer NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
        budget_fen integer,
        source jsonb,
        items jsonb NOT NULL DEFAULT '[]',
        deadline_at timestamptz NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        abandoned_reason text,
        CHECK (discount_fen = 0 OR card_no IS NOT NULL),
        CHECK (status <> 'closed' OR closed_at IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX deals_live_request ON deals (request_id) WHERE status IN ('pending', 'closed', 'compensating')`);
    await q.query(`CREATE INDEX deals_unsettled ON deals (deadline_at) WHERE status IN ('pending', 'compensating')`);
    await q.query(`CREATE INDEX deals_store ON deals (store_id, id) WHERE status = 'closed'`);
    await q.query(`CREATE INDEX deals_brand ON deals (brand_id, id) WHERE status = 'closed'`);
    await q.query(`CREATE INDEX deals_booking ON deals (booking_id) WHERE booking_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deals (id),
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        reason text NOT NULL,
        full_refund boolean NOT NULL,
        refunded_total_fen integer NOT NULL,
        card_reversal text NOT NULL CHECK (card_reversal IN ('none', 'pending', 'done')),
        refunded_by text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX refunds_deal ON refunds (deal_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['refunds', 'deals', 'slot_loads', 'booking_changes', 'lead_owners', 'bookings', 'consultations', 'store_brands', 'stores']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
