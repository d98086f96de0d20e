import { CHANNEL_CARD_CODES, Channel, luhnCheckDigit } from '@o2o/contracts';
import { randomInt } from 'node:crypto';

const RANDOM_DIGITS = 13;
const RANDOM_SPAN = 10 ** RANDOM_DIGITS; // below crypto.randomInt's 2^48 range limit

/** Thirteen uniformly random digits from the operating system's cryptographic source. */
export function cryptoRandomDigits(): string {
  return String(randomInt(0, RANDOM_SPAN)).padStart(RANDOM_DIGITS, '0');
}

/** Channel code + thirteen digits + Luhn check digit. */
export function composeCardNo(channel: Channel, randomDigits: string): string {
  if (!/^\d{13}$/.test(randomDigits)) throw new Error('a card number needs exactly 13 random digits');
  const payload = CHANNEL_CARD_CODES[channel] + randomDigits;
  return payload + luhnCheckDigit(payload);
}

export function newCardNo(channel: Channel, random: () => string = cryptoRandomDigits): string {
  return composeCardNo(channel, random());
}

const MAX_ATTEMPTS = 8;

/**
 * Draws numbers until `claim` accepts one (an insert that a unique constraint lets through).
 * With 10^13 numbers per channel a second draw is already rare; eight failures mean something
 * other than chance is wrong.
 */
export async function issueUniqueCardNo(
  channel: Channel,
  claim: (cardNo: string) => Promise<boolean>,
  random: () => string = cryptoRandomDigits,
): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const cardNo = newCardNo(channel, random);
    if (await claim(cardNo)) return cardNo;
  }
  throw new Error(`no free card number after ${MAX_ATTEMPTS} draws`);
}
