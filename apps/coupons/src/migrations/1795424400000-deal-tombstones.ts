import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A redemption row may be a tombstone: a deal reversed before coupons saw it redeem. It holds the
 * deal's unique id, so a redeem of that deal arriving later (or still in flight) cannot win.
 */
export class DealTombstones1795424400000 implements MigrationInterface {
  name = 'DealTombstones1795424400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE redemptions
        ALTER COLUMN card_id DROP NOT NULL,
        ALTER COLUMN store_id DROP NOT NULL,
        ALTER COLUMN brand_id DROP NOT NULL,
        ALTER COLUMN amount_fen DROP NOT NULL,
        ALTER COLUMN discount_fen DROP NOT NULL,
        ALTER COLUMN redeemed_at DROP NOT NULL,
        ALTER COLUMN redeemed_at DROP DEFAULT,
        ADD CONSTRAINT redemptions_redeemed_or_tombstone CHECK (
          (card_id IS NOT NULL AND store_id IS NOT NULL AND brand_id IS NOT NULL
            AND amount_fen IS NOT NULL AND discount_fen IS NOT NULL AND redeemed_at IS NOT NULL)
          OR (card_id IS NULL AND store_id IS NULL AND brand_id IS NULL
            AND amount_fen IS NULL AND discount_fen IS NULL AND redeemed_at IS NULL AND reversed_at IS NOT NULL)
        )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM redemptions WHERE card_id IS NULL');
    await q.query(`
      ALTER TABLE redemptions
        DROP CONSTRAINT redemptions_redeemed_or_tombstone,
        ALTER COLUMN card_id SET NOT NULL,
        ALTER COLUMN store_id SET NOT NULL,
        ALTER COLUMN brand_id SET NOT NULL,
        ALTER COLUMN amount_fen SET NOT NULL,
        ALTER COLUMN discount_fen SET NOT NULL,
        ALTER COLUMN redeemed_at SET NOT NULL,
        ALTER COLUMN redeemed_at SET DEFAULT now()`);
  }
}
