import { Actor, ErrorCode, Role } from '@o2o/contracts';
import { hasRole, partnerBrand, requireBrandAccess, requireRoles } from './access';

const staff = (...roles: Role[]): Actor => ({ kind: 'staff', userId: 'u', roles });
const partner: Actor = { kind: 'partner', keyId: 'k', brandId: 'b1' };
const anonymous: Actor = { kind: 'anonymous' };

describe('access rules', () => {
  it.each([
    [staff(Role.Admin), [Role.Ops], true],
    [staff(Role.Ops), [Role.Ops], true],
    [staff(Role.Ops), [Role.Admin], false],
    [staff(Role.Ops), [], true],
    [partner, [], false],
    [anonymous, [Role.Ops], false],
  ] as const)('hasRole(%j, %j) is %s', (actor, roles, expected) => {
    expect(hasRole(actor, ...roles)).toBe(expected);
  });

  it('refuses with 403 naming the roles', () => {
    expect(() => requireRoles(staff(Role.Ops), Role.Admin)).toThrow(expect.objectContaining({ code: ErrorCode.Forbidden }));
  });

  it("answers another brand's data as not found for a partner, and lets staff through", () => {
    expect(partnerBrand(partner)).toBe('b1');
    expect(() => requireBrandAccess(partner, 'b2', 'Product')).toThrow(expect.objectContaining({ code: ErrorCode.NotFound }));
    expect(() => requireBrandAccess(partner, 'b1', 'Product')).not.toThrow();
    expect(() => requireBrandAccess(staff(Role.Ops), 'b2', 'Product')).not.toThrow();
  });
});
