import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsMainlandMobile, isMainlandMobile, maskPhone, normalizePhone } from './phone';

class Customer {
  @IsMainlandMobile() phone!: string;
}

describe('mainland mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678', true],
    ['+86 138-1234-5678', '13812345678', true],
    ['0086 13812345678', '13812345678', true],
    ['2381234567', '2381234567', false],
    ['1381234567', '1381234567', false],
    ['138123456789', '138123456789', false],
  ])('%s normalises to %s (mobile: %s)', (raw, normal, mobile) => {
    expect(normalizePhone(raw)).toBe(normal);
    expect(isMainlandMobile(raw)).toBe(mobile);
  });

  it('masks all but the first three and last four digits', () => {
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('***');
  });

  it('validates and normalises a DTO field, naming it in the error', () => {
    const ok = plainToInstance(Customer, { phone: '+86 139-0000-1111' });
    expect(validateSync(ok)).toEqual([]);
    expect(ok.phone).toBe('13900001111');
    const bad = validateSync(plainToInstance(Customer, { phone: '555-1234' }));
    expect(bad[0]).toMatchObject({ property: 'phone', constraints: { isMainlandMobile: 'must be a mainland mobile number (11 digits starting with 1)' } });
  });
});
