import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns, cards, payment orders and redemptions, plus the store and brand facts that quotes
 * need, copied from the catalog's events. Constraints back every "at most one" rule.
 */
export class PrivilegeCards1763900000000 implements MigrationInterface {
  name = 'PrivilegeCards1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        price_fen integer NOT NULL CHECK (price_fen > 0),
        benefit_type text NOT NULL CHECK (benefit_type IN ('amount_off', 'percent_off')),
        benefit_value integer NOT NULL CHECK (benefit_value > 0),
        max_discount_fen integer CHECK (max_discount_fen > 0),
        min_spend_fen integer CHECK (min_spend_fen > 0),
        brand_ids uuid[] NOT NULL DEFAULT '{}',
        categories text[] NOT NULL DEFAULT '{}',
        cities text[] NOT NULL DEFAULT '{}',
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        valid_days_after_issue integer CHECK (valid_days_after_issue > 0),
        total_limit integer CHECK (total_limit > 0),
        per_phone_limit integer NOT NULL CHECK (per_phone_limit > 0),
        -- Places held: cards paid for or awaiting payment. Kept here so the total limit is one
        -- conditional UPDATE, which also serialises issuance per campaign.
        issued integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to > valid_from),
        CHECK (benefit_type <> 'percent_off' OR benefit_value <= 100),
        CHECK (issued >= 0 AND (total_limit IS NULL OR issued <= total_limit))
      )`);
    await q.query('CREATE INDEX campaigns_brand_ids ON campaigns USING gin (brand_ids)');

    await q.query(`
      CREATE TABLE cards (
        id uuid PRIMARY KEY,
        card_no text NOT NULL UNIQUE CHECK (card_no ~ '^[0-9]{16}$'),
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        phone text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending_payment', 'active', 'redeemed', 'expired', 'void')),
        channel text NOT NULL,
        source_campaign text,
        agent_id text,
        visitor_id text,
        valid_from timestamptz,
        valid_to timestamptz,
        issued_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        redeemed_at timestamptz,
        expired_at timestamptz,
        voided_at timestamptz,
        void_reason text,
        CHECK (status IN ('pending_payment', 'void') OR (activated_at IS NOT NULL AND valid_to IS NOT NULL))
      )`);
    await q.query('CREATE INDEX cards_campaign_phone ON cards (campaign_id, phone)');
    await q.query('CREATE INDEX cards_phone ON cards (phone)');
    await q.query('CREATE INDEX cards_campaign_status ON cards (campaign_id, status)');
    await q.query(`CREATE INDEX cards_active_until ON cards (valid_to) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE payment_orders (
        id uuid PRIMARY KEY,
        card_id uuid NOT NULL UNIQUE REFERENCES cards (id),
        provider text NOT NULL,
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL CHECK (status IN ('pending', 'paid', 'expired')),
        provider_ref text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        paid_at timestamptz,
        expired_at timestamptz,
        UNIQUE (provider, provider_ref)
      )`);
    await q.query(`CREATE INDEX payment_orders_overdue ON payment_orders (expires_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE redemptions (
        id uuid PRIMARY KEY,
        card_id uuid NOT NULL REFERENCES cards (id),
        deal_id uuid NOT NULL UNIQUE,
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        discount_fen integer NOT NULL CHECK (discount_fen >= 0 AND discount_fen <= amount_fen),
        redeemed_at timestamptz NOT NULL DEFAULT now(),
        reversed_at timestamptz,
        reverse_reason text
      )`);
    // A card is redeemed by at most one deal at a time; a reversed redemption frees it.
    await q.query('CREATE UNIQUE INDEX redemptions_one_live_per_card ON redemptions (card_id) WHERE reversed_at IS NULL');

    // The catalog's facts, as of the event that last changed them.
    await q.query(`
      CREATE TABLE known_stores (
        id uuid PRIMARY KEY,
        city text NOT NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE known_brands (
        id uuid PRIMARY KEY,
        categories text[] NOT NULL,
        as_of timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['known_brands', 'known_stores', 'redemptions', 'payment_orders', 'cards', 'campaigns']) await q.query(`DROP TABLE ${table}`);
  }
}
