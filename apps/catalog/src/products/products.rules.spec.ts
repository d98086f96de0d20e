import { Actor, ANONYMOUS, ErrorCode, ProductStatus, Role } from '@o2o/contracts';
import { assertDisplayable, assertDistinctCodes, canSee, fromPriceFen } from './products.rules';

const BRAND = '0190f1c2-0000-7000-8000-00000000b001';
const OTHER = '0190f1c2-0000-7000-8000-00000000b002';
const staff = (...roles: Role[]): Actor => ({ kind: 'staff', userId: 'u', roles });
const partner = (brandId: string): Actor => ({ kind: 'partner', keyId: 'k', brandId });
const sku = (code: string, priceFen: number) => ({ code, priceFen });

/** Why a check fails (its reason, else its code), or undefined when it passes. */
const failure = (check: () => void) => {
  try {
    check();
    return undefined;
  } catch (e) {
    const { code, reason } = e as { code?: string; reason?: string };
    return reason ?? code;
  }
};

describe('product rules', () => {
  it.each([
    [[sku('A', 500), sku('B', 9000)], 500],
    [[sku('A', 9000), sku('B', 500)], 500],
    [[sku('A', 1)], 1],
  ])('prices %j from its cheapest SKU: %d', (skus, price) => {
    expect(fromPriceFen(skus)).toBe(price);
  });

  it.each([
    [['A', 'B'], undefined],
    [['A', 'B', 'A'], ErrorCode.Conflict],
    [['X', 'X'], ErrorCode.Conflict],
  ])('SKU codes %j: %s', (codes, code) => {
    expect(failure(() => assertDistinctCodes(codes.map((c) => sku(c, 1))))).toBe(code);
  });

  it.each([
    ['the public', ANONYMOUS, ProductStatus.Published, BRAND, true],
    ['the public', ANONYMOUS, ProductStatus.Draft, BRAND, false],
    ['an agent', staff(Role.Agent), ProductStatus.Draft, BRAND, false],
    ['ops', staff(Role.Ops), ProductStatus.Draft, BRAND, true],
    ['admin', staff(Role.Admin), ProductStatus.Draft, BRAND, true],
    ['its partner', partner(BRAND), ProductStatus.Draft, BRAND, true],
    ['another partner', partner(OTHER), ProductStatus.Published, BRAND, false],
  ])('%s sees a %s product: %s', (_who, actor, status, brandId, seen) => {
    expect(canSee({ brandId, status }, actor)).toBe(seen);
  });

  it.each([
    [[], [], [], undefined],
    [['s1', 's2'], ['s1', 's2'], ['s1', 's2'], undefined],
    [['s1', 's2'], ['s1'], ['s1'], 'unknown_store'],
    [['s1', 's2'], ['s1', 's2'], ['s1'], 'brand_not_tenant'],
    [['s1', 's3'], ['s1'], [], 'unknown_store'], // the unknown store is named first
  ])('display in %j (found %j, tenant of %j): %s', (storeIds, found, tenantOf, reason) => {
    expect(failure(() => assertDisplayable(storeIds, found, tenantOf))).toBe(reason);
  });
});
