import { CARD_NO_FORMAT, CHANNEL_CARD_CODES, Channel, cardNoProblem, channelOfCardNo, luhnCheckDigit, passesLuhn } from '@o2o/contracts';
import fc from 'fast-check';
import { composeCardNo, cryptoRandomDigits, issueUniqueCardNo, newCardNo } from './card-number';

const channels = Object.values(Channel);
const thirteenDigits = fc.stringMatching(/^\d{13}$/);

describe('Luhn', () => {
  it('agrees with known valid numbers', () => {
    for (const n of ['79927398713', '4539578763621486', '4111111111111111', '0']) expect(passesLuhn(n)).toBe(true);
    for (const n of ['79927398710', '4111111111111112', '', 'abc']) expect(passesLuhn(n)).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });
});

describe('card numbers', () => {
  it('is 16 digits, opens with the channel code, and passes Luhn, for any channel and random part', () => {
    fc.assert(
      fc.property(fc.constantFrom(...channels), thirteenDigits, (channel, digits) => {
        const no = composeCardNo(channel, digits);
        expect(no).toMatch(CARD_NO_FORMAT);
        expect(no.startsWith(CHANNEL_CARD_CODES[channel])).toBe(true);
        expect(no.slice(2, 15)).toBe(digits);
        expect(passesLuhn(no)).toBe(true);
        expect(channelOfCardNo(no)).toBe(channel);
        expect(cardNoProblem(no)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('fails the check when any one digit is mistyped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...channels),
        thirteenDigits,
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 1, max: 9 }),
        (channel, digits, at, shift) => {
          const no = composeCardNo(channel, digits);
          const typo = no.slice(0, at) + String((Number(no[at]) + shift) % 10) + no.slice(at + 1);
          expect(passesLuhn(typo)).toBe(false);
          expect(cardNoProblem(typo)).toBe('check_digit');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('tells a wrong length, an unknown channel and a wrong check digit apart', () => {
    const good = composeCardNo(Channel.Sem, '1234567890123');
    expect(cardNoProblem(good.slice(0, 15))).toBe('format');
    expect(cardNoProblem(`${good}0`)).toBe('format');
    expect(cardNoProblem(12)).toBe('format');
    const unknownChannel = `99${good.slice(2, 15)}`;
    expect(cardNoProblem(unknownChannel + luhnCheckDigit(unknownChannel))).toBe('channel');
    expect(cardNoProblem(good.slice(0, 15) + String((Number(good[15]) + 1) % 10))).toBe('check_digit');
  });

  it('draws 13 digits from the cryptographic source, each digit roughly uniform', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) for (const d of cryptoRandomDigits()) counts[Number(d)]++;
    // 260,000 digits: each of the ten appears 26,000 times give or take a few hundred.
    for (const c of counts) expect(Math.abs(c - 26_000)).toBeLessThan(1_300);
  });

  it('issues 100,000 numbers that all pass Luhn, open with their channel code and never collide', async () => {
    const taken = new Set<string>();
    const claim = async (no: string) => (taken.has(no) ? false : (taken.add(no), true));
    for (let i = 0; i < 100_000; i++) {
      const channel = channels[i % channels.length]!;
      const no = await issueUniqueCardNo(channel, claim);
      if (!passesLuhn(no) || !no.startsWith(CHANNEL_CARD_CODES[channel]) || no.length !== 16) throw new Error(`bad number ${no}`);
    }
    expect(taken.size).toBe(100_000);
  });

  it('draws again when a number is taken, and gives up after repeated collisions', async () => {
    const draws = ['0000000000001', '0000000000001', '0000000000002'];
    const seen = new Set<string>();
    const no = await issueUniqueCardNo(
      Channel.Seo,
      async (n) => (seen.has(n) ? false : (seen.add(n), true)),
      () => draws.shift()!,
    );
    expect(no).toBe(composeCardNo(Channel.Seo, '0000000000001'));
    const second = await issueUniqueCardNo(
      Channel.Seo,
      async (n) => (seen.has(n) ? false : (seen.add(n), true)),
      () => draws.shift()!,
    );
    expect(second).toBe(composeCardNo(Channel.Seo, '0000000000002'));
    await expect(issueUniqueCardNo(Channel.Seo, async () => false)).rejects.toThrow(/no free card number/);
    expect(newCardNo(Channel.Offline).startsWith('60')).toBe(true);
  });
});
