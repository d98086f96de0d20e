import { CardNoDto, CardQueryDto, CreateCampaignDto, PurchaseCardDto } from '@o2o/contracts';
import { flattenValidationErrors } from '@o2o/platform';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

const valid = {
  name: '1 yuan card',
  priceFen: 100,
  benefit: { type: 'amount_off', value: 50000, minSpendFen: 300000 },
  brandIds: ['0190f1c2-0000-7000-8000-000000000001'],
  cities: ['Shanghai'],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2025-12-31T00:00:00.000Z',
  perPhoneLimit: 1,
};

function fieldsWrong<T extends object>(cls: new () => T, body: object): string[] {
  const errors = validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true });
  return flattenValidationErrors(errors).map((e) => e.field);
}

describe('campaign input', () => {
  it('accepts a well-formed campaign', () => {
    expect(fieldsWrong(CreateCampaignDto, valid)).toEqual([]);
  });

  it.each([
    [{ validTo: '2024-12-31T00:00:00.000Z' }, 'validTo'],
    [{ validTo: valid.validFrom }, 'validTo'],
    [{ priceFen: 0 }, 'priceFen'],
    [{ priceFen: 1.5 }, 'priceFen'],
    [{ benefit: { type: 'percent_off', value: 101 } }, 'benefit.value'],
    [{ benefit: { type: 'amount_off', value: 0 } }, 'benefit.value'],
    [{ benefit: { type: 'amount_off', value: 100, maxDiscountFen: -1 } }, 'benefit.maxDiscountFen'],
    [{ benefit: { type: 'half_off', value: 1 } }, 'benefit.type'],
    [{ totalLimit: 0 }, 'totalLimit'],
    [{ perPhoneLimit: -1 }, 'perPhoneLimit'],
    [{ brandIds: ['nine-mu'] }, 'brandIds'],
    [{ validFrom: 'yesterday' }, 'validFrom'],
  ])('refuses %j, naming %s', (change, field) => {
    expect(fieldsWrong(CreateCampaignDto, { ...valid, ...change })).toContain(field);
  });

  it('allows percent off up to 100', () => {
    expect(fieldsWrong(CreateCampaignDto, { ...valid, benefit: { type: 'percent_off', value: 100, maxDiscountFen: 100000 } })).toEqual([]);
  });
});

describe('card input', () => {
  it('names the card number with a wrong check digit', () => {
    const errors = validateSync(plainToInstance(CardNoDto, { cardNo: '2012345678901234' }));
    const good = '20' + '1234567890123';
    expect(flattenValidationErrors(errors)).toEqual([{ field: 'cardNo', message: expect.stringMatching(/check digit|channel/) }]);
    expect(fieldsWrong(CardNoDto, { cardNo: good })).toEqual(['cardNo']);
    expect(flattenValidationErrors(validateSync(plainToInstance(CardNoDto, { cardNo: '12' })))[0]?.message).toBe('cardNo must be 16 digits');
  });

  it.each([
    ['+86 138-1234-5678', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
  ])('takes the phone %s as %s', (raw, stored) => {
    const dto = plainToInstance(PurchaseCardDto, { campaignId: valid.brandIds[0], phone: raw, source: { channel: 'sem' } });
    expect(validateSync(dto)).toEqual([]);
    expect(dto.phone).toBe(stored);
  });

  it.each(['1234', '2381234567', '138123456789', ''])('refuses the phone %j, naming the field', (phone) => {
    expect(fieldsWrong(PurchaseCardDto, { campaignId: valid.brandIds[0], phone, source: { channel: 'sem' } })).toEqual(['phone']);
    expect(fieldsWrong(CardQueryDto, { phone })).toEqual(['phone']);
  });

  it('requires a known channel in the source', () => {
    expect(fieldsWrong(PurchaseCardDto, { campaignId: valid.brandIds[0], phone: '13812345678', source: { channel: 'tv' } })).toEqual(['source.channel']);
    expect(fieldsWrong(PurchaseCardDto, { campaignId: valid.brandIds[0], phone: '13812345678', source: { channel: 'sem', agentId: 'a1' } })).toEqual([]);
  });
});
