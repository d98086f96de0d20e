import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attribution's copy of each phone's sources (cards, bookings, consultations, lead owners), the
 * versioned commission rules, one attribution per deal, the commission ledger and its statements.
 * Constraints carry the rules that replays and concurrency could break: one attribution per deal,
 * one entry per deal, party and kind, one clawback per refund and entry, and an entry's amount
 * that never changes (a trigger lets only its status and statement move).
 */
export class Commissions1795800000100 implements MigrationInterface {
  name = 'Commissions1795800000100';

  async up(q: QueryRunner): Promise<void> {
    // Sources, each row the newest state its events told (by occurredAt, then a fixed rank).
    await q.query(`
      CREATE TABLE source_cards (
        card_no text PRIMARY KEY,
        card_id uuid,
        phone text,
        brand_ids text[] NOT NULL DEFAULT '{}',
        channel text,
        campaign text,
        agent_id text,
        visitor_id text,
        valid_from timestamptz,
        valid_to timestamptz,
        activated_at timestamptz,
        status text NOT NULL CHECK (status IN ('active', 'redeemed', 'expired', 'void')),
        deal_id uuid,
        as_of timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX source_cards_phone ON source_cards (phone)');
    await q.query(`
      CREATE TABLE source_bookings (
        booking_id uuid PRIMARY KEY,
        phone text NOT NULL,
        consultation_id uuid,
        store_id uuid,
        channel text NOT NULL,
        campaign text,
        agent_id text,
        visitor_id text,
        budget_fen bigint,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX source_bookings_phone ON source_bookings (phone, at DESC)');
    await q.query(`
      CREATE TABLE source_consultations (
        consultation_id uuid PRIMARY KEY,
        phone text,
        channel text NOT NULL,
        campaign text,
        agent_id text,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE lead_owners (
        lead_id uuid PRIMARY KEY,
        phone text NOT NULL,
        store_id uuid,
        owner_id text,
        protected_until timestamptz NOT NULL,
        since timestamptz NOT NULL,
        as_of timestamptz NOT NULL,
        rank integer NOT NULL
      )`);
    await q.query('CREATE INDEX lead_owners_phone ON lead_owners (phone)');

    await q.query(`
      CREATE TABLE commission_rules (
        version serial PRIMARY KEY,
        online_rate integer NOT NULL CHECK (online_rate BETWEEN 0 AND 10000),
        offline_rate integer NOT NULL CHECK (offline_rate BETWEEN 0 AND 10000),
        premium_rate integer NOT NULL CHECK (premium_rate BETWEEN 0 AND 10000),
        platform_fee_rate integer NOT NULL CHECK (platform_fee_rate BETWEEN 0 AND 10000),
        attribution_window_days integer NOT NULL CHECK (attribution_window_days BETWEEN 1 AND 3650),
        approval_delay_days integer NOT NULL CHECK (approval_delay_days BETWEEN 0 AND 365),
        effective_from timestamptz NOT NULL,
        set_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX commission_rules_effective ON commission_rules (effective_from DESC, version DESC)');

    await q.query(`
      CREATE TABLE deal_attributions (
        deal_id uuid PRIMARY KEY,
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        staff_id text NOT NULL,
        phone text NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        budget_fen bigint CHECK (budget_fen >= 0),
        closed_at timestamptz NOT NULL,
        via text NOT NULL CHECK (via IN ('card', 'booking', 'phone_match', 'none')),
        channel text,
        campaign text,
        agent_id text,
        source_ref text,
        rule_version integer REFERENCES commission_rules (version),
        flags text[] NOT NULL DEFAULT '{}',
        reasons text[] NOT NULL DEFAULT '{}',
        explain jsonb NOT NULL,
        credited_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((via = 'none') = (channel IS NULL))
      )`);
    await q.query('CREATE INDEX deal_attributions_flagged ON deal_attributions (deal_id DESC) WHERE cardinality(flags) > 0');

    await q.query(`
      CREATE TABLE commission_statements (
        id uuid PRIMARY KEY,
        period text NOT NULL UNIQUE CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        period_end timestamptz NOT NULL,
        time_zone text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE commissions (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deal_attributions (deal_id),
        store_id uuid NOT NULL,
        staff_id text,
        party text NOT NULL CHECK (party IN ('online_agent', 'offline_closer', 'platform')),
        kind text NOT NULL CHECK (kind IN ('base', 'premium', 'fee', 'clawback')),
        amount_fen bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'reversed')),
        clawback_of uuid REFERENCES commissions (id),
        refund_id uuid,
        basis text NOT NULL,
        at timestamptz NOT NULL,
        approve_after timestamptz NOT NULL,
        statement_id uuid REFERENCES commission_statements (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'clawback') = (clawback_of IS NOT NULL AND refund_id IS NOT NULL)),
        CHECK (CASE WHEN kind = 'clawback' THEN amount_fen < 0 ELSE amount_fen > 0 END),
        CHECK ((party = 'platform') = (staff_id IS NULL)),
        -- Paid means settled by a statement, and nothing else does.
        CHECK ((status = 'paid') = (statement_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX commissions_one_entry ON commissions (deal_id, party, kind) WHERE kind <> 'clawback'`);
    await q.query(`CREATE UNIQUE INDEX commissions_one_clawback ON commissions (refund_id, clawback_of) WHERE kind = 'clawback'`);
    await q.query('CREATE INDEX commissions_deal ON commissions (deal_id)');
    await q.query('CREATE INDEX commissions_staff ON commissions (staff_id, id DESC)');
    await q.query(`CREATE INDEX commissions_due ON commissions (approve_after) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX commissions_unsettled ON commissions (approve_after) WHERE status = 'approved' AND statement_id IS NULL`);
    await q.query('CREATE INDEX commissions_statement ON commissions (statement_id)');

    // The ledger is written once: an entry's status and statement may move, nothing else.
    await q.query(`
      CREATE FUNCTION commissions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'commission entries are never deleted';
        END IF;
        IF (NEW.id, NEW.deal_id, NEW.store_id, NEW.staff_id, NEW.party, NEW.kind, NEW.amount_fen, NEW.clawback_of, NEW.refund_id, NEW.basis, NEW.at, NEW.approve_after)
           IS DISTINCT FROM
           (OLD.id, OLD.deal_id, OLD.store_id, OLD.staff_id, OLD.party, OLD.kind, OLD.amount_fen, OLD.clawback_of, OLD.refund_id, OLD.basis, OLD.at, OLD.approve_after) THEN
          RAISE EXCEPTION 'commission entries are immutable; only status and statement_id change';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query('CREATE TRIGGER commissions_immutable BEFORE UPDATE OR DELETE ON commissions FOR EACH ROW EXECUTE FUNCTION commissions_immutable()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS commissions');
    await q.query('DROP FUNCTION IF EXISTS commissions_immutable()');
    await q.query('DROP TABLE IF EXISTS commission_statements');
    await q.query('DROP TABLE IF EXISTS deal_attributions');
    await q.query('DROP TABLE IF EXISTS commission_rules');
    await q.query('DROP TABLE IF EXISTS lead_owners');
    await q.query('DROP TABLE IF EXISTS source_consultations');
    await q.query('DROP TABLE IF EXISTS source_bookings');
    await q.query('DROP TABLE IF EXISTS source_cards');
  }
}
