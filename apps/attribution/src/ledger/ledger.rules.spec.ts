import { Actor, CommissionStatus, Role } from '@o2o/contracts';
import { clawbackStatus, ledgerReader, reversesWhollyClawedBack } from './ledger.rules';

const staff = (roles: Role[], staffId?: string): Actor => ({ kind: 'staff', userId: 'u', roles, staffId });

describe('ledger rules', () => {
  it.each([
    ['admin', { all: true }, staff([Role.Admin])],
    ['ops', { all: true }, staff([Role.Ops])],
    ['a salesperson', { all: false, staffId: 's1' }, staff([Role.StoreStaff], 's1')],
    ['a store manager', { all: false, staffId: 'm1' }, staff([Role.StoreManager], 'm1')],
    ['an agent', { all: false, staffId: 'a1' }, staff([Role.Agent], 'a1')],
    ['an agent without a staff id', { all: false, staffId: null }, staff([Role.Agent])],
    ['a partner', undefined, { kind: 'partner', keyId: 'k', brandId: 'b' } as Actor],
    ['anonymous', undefined, { kind: 'anonymous' } as Actor],
  ])('%s reads %j', (_, scope, actor) => {
    expect(ledgerReader(actor)).toEqual(scope);
  });

  it.each([
    ['pending', 'pending'],
    ['approved', 'approved'],
    ['paid', 'approved'],
    ['reversed', 'reversed'],
  ] as [CommissionStatus, CommissionStatus][])('a clawback of a %s entry is %s', (entry, clawback) => {
    expect(clawbackStatus(entry)).toBe(clawback);
  });

  it.each([
    [{ amountFen: 100, status: 'pending', statementId: null }, -100, true],
    [{ amountFen: 100, status: 'approved', statementId: null }, -100, true],
    [{ amountFen: 100, status: 'pending', statementId: null }, -99, false],
    [{ amountFen: 100, status: 'paid', statementId: 's' }, -100, false],
    [{ amountFen: 100, status: 'reversed', statementId: null }, -100, false],
  ] as [{ amountFen: number; status: CommissionStatus; statementId: string | null }, number, boolean][])(
    'an entry %j clawed back by %d is reversed: %s',
    (entry, clawed, reversed) => {
      expect(reversesWhollyClawedBack(entry, clawed)).toBe(reversed);
    },
  );
});
