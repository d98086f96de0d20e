// Active privilege cards written straight into coupons' tables: benchmark setup, not what is measured.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { CHANNEL_CARD_CODES, luhnCheckDigit } = require(path.join(ROOT, 'dist/libs/contracts/src/index.js'));
const { newId } = require(path.join(ROOT, 'dist/libs/platform/src/index.js'));

/** Distinct valid sem card numbers. */
export function cardNumbers(n) {
  const seen = new Set();
  while (seen.size < n) {
    const payload = CHANNEL_CARD_CODES.sem + String(BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 13n).padStart(13, '0');
    seen.add(payload + luhnCheckDigit(payload));
  }
  return [...seen];
}

/** `n` active cards of the campaign, on a pg pool or client whose search_path is coupons' schema. */
export async function seedActiveCards(db, campaignId, n, phonePrefix = '139') {
  const numbers = cardNumbers(n);
  const ids = numbers.map(() => newId());
  const phones = numbers.map((_, i) => `${phonePrefix}${String(i).padStart(8, '0')}`);
  await db.query(
    `INSERT INTO cards (id, card_no, campaign_id, phone, status, channel, agent_id, valid_from, valid_to, activated_at)
     SELECT id, no, $3, phone, 'active', 'sem', 'agent-bench', now() - interval '1 day', now() + interval '30 days', now()
       FROM unnest($1::uuid[], $2::text[], $4::text[]) AS t(id, no, phone)`,
    [ids, numbers, campaignId, phones],
  );
  await db.query('UPDATE campaigns SET issued = issued + $2 WHERE id = $1', [campaignId, n]);
  return numbers.map((no, i) => ({ id: ids[i], no, phone: phones[i] }));
}
