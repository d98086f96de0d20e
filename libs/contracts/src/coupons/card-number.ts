import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { CHANNEL_CARD_CODES, Channel } from '../enums';

/**
 * A privilege-card number: two digits of channel code, thirteen random digits, one Luhn check
 * digit. Sixteen digits in all.
 */
export const CARD_NO_LENGTH = 16;
export const CARD_NO_FORMAT = /^\d{16}$/;

const CHANNEL_BY_CODE = new Map<string, Channel>(Object.entries(CHANNEL_CARD_CODES).map(([channel, code]) => [code, channel as Channel]));

/** The Luhn digit that makes `payload` followed by it pass the Luhn check. */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Counting from the right of the payload, every first, third, ... digit is doubled, because
    // the check digit will take the rightmost place.
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits[digits.length - 1];
}

/** The channel a card number was issued for, from its first two digits. */
export function channelOfCardNo(cardNo: string): Channel | undefined {
  return CHANNEL_BY_CODE.get(cardNo.slice(0, 2));
}

export type CardNoProblem = 'format' | 'channel' | 'check_digit';

/** Why a string is not a card number, or undefined when it is well formed. */
export function cardNoProblem(value: unknown): CardNoProblem | undefined {
  if (typeof value !== 'string' || !CARD_NO_FORMAT.test(value)) return 'format';
  if (!channelOfCardNo(value)) return 'channel';
  if (!passesLuhn(value)) return 'check_digit';
  return undefined;
}

const PROBLEM_MESSAGES: Record<CardNoProblem, string> = {
  format: 'must be 16 digits',
  channel: 'must start with a channel code (10, 20, 30, 40, 50 or 60)',
  check_digit: 'has a wrong check digit',
};

/** A well-formed card number: 16 digits, a known channel code, a correct Luhn digit. */
export function IsCardNo(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCardNo',
      validator: {
        validate: (value) => cardNoProblem(value) === undefined,
        defaultMessage: buildMessage((each, args) => `${each}$property ${PROBLEM_MESSAGES[cardNoProblem(args?.value) ?? 'format']}`, options),
      },
    },
    options,
  );
}
