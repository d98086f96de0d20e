import { CardEventName, Channel, EVENTS } from '@o2o/contracts';
import { cardFactOf, channelOfCardNo } from './sources.rules';

const facts = {
  cardId: 'c1',
  cardNo: '2012345678901234',
  campaignId: 'k',
  brandIds: ['b1'],
  source: { channel: 'sem', campaign: 'spring', agentId: 'a1', visitorId: null },
};
const T = '2031-03-01T02:00:00.000Z';

describe('card facts from card events', () => {
  it.each([
    [
      EVENTS.cardActivated,
      { ...facts, phone: '13912345678', activatedAt: T, validFrom: T, validTo: '2031-06-01T00:00:00.000Z' },
      { status: 'active', phone: '13912345678', activatedAt: new Date(T) },
    ],
    [EVENTS.cardRedeemed, { ...facts, phone: '13912345678', dealId: 'd1' }, { status: 'redeemed', dealId: 'd1', activatedAt: null }],
    [EVENTS.cardReversed, { ...facts, dealId: 'd1', status: 'active' }, { status: 'active', dealId: null, phone: null }],
    [EVENTS.cardReversed, { ...facts, dealId: 'd1', status: 'expired' }, { status: 'expired', dealId: null }],
    [EVENTS.cardExpired, { ...facts }, { status: 'expired' }],
    [EVENTS.cardVoided, { ...facts, reason: 'fraud' }, { status: 'void' }],
  ] as [CardEventName, Record<string, unknown>, object][])('%s → %j', (type, data, expected) => {
    expect(cardFactOf(type, data, T)).toMatchObject({ cardNo: facts.cardNo, channel: Channel.Sem, agentId: 'a1', asOf: new Date(T), ...expected });
  });

  it.each([
    ['no card number', EVENTS.cardExpired, { ...facts, cardNo: '' }],
    ['a reversal to no known state', EVENTS.cardReversed, { ...facts, status: 'pending_payment' }],
  ] as [string, CardEventName, Record<string, unknown>][])('reads nothing from %s', (_, type, data) => {
    expect(cardFactOf(type, data, T)).toBeUndefined();
  });

  it('takes the channel from the card number when the source does not say', () => {
    expect(cardFactOf(EVENTS.cardExpired, { ...facts, cardNo: '3012345678901234', source: undefined }, T)?.channel).toBe(Channel.Social);
  });

  it.each([
    ['1012345678901234', Channel.Seo],
    ['6012345678901234', Channel.Offline],
    ['9912345678901234', null],
  ])('card %s opens with channel %s', (no, channel) => {
    expect(channelOfCardNo(no)).toBe(channel);
  });
});
