import { CreateStaffMessage } from '@o2o/contracts';
import { roleOf, staffProblems } from './staff.rules';

const STORE = '0190f1c2-0000-7000-8000-00000000c001';

describe('staff rules', () => {
  it.each([
    [{ team: 'offline', storeId: STORE }, []],
    [{ team: 'offline' }, ['storeId']],
    [{ team: 'online' }, []],
    [{ team: 'online', role: 'store_manager' }, ['role']],
    [{ team: 'offline', role: 'store_manager' }, ['storeId']],
    [{ team: 'offline', storeId: STORE, role: 'store_manager' }, []],
  ] as [Pick<CreateStaffMessage, 'team' | 'storeId' | 'role'>, string[]][])('%j has problems with %j', (dto, fields) => {
    expect(staffProblems(dto).map((p) => p.field)).toEqual(fields);
  });

  it.each([
    [{ team: 'online' }, 'agent'],
    [{ team: 'offline' }, 'store_staff'],
    [{ team: 'offline', role: 'store_manager' }, 'store_manager'],
  ] as [Pick<CreateStaffMessage, 'team' | 'role'>, string][])('%j holds the role %s', (dto, role) => {
    expect(roleOf(dto)).toBe(role);
  });
});
