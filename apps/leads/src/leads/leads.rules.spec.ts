import { LeadStatus } from '@o2o/contracts';
import { canMove, movableTo } from './leads.rules';

describe('lead status moves', () => {
  it.each([
    ['draft', 'active', true],
    ['draft', 'archived', true],
    ['active', 'archived', true],
    ['active', 'draft', false],
    ['archived', 'active', false],
    ['draft', 'draft', false],
  ] as [LeadStatus, LeadStatus, boolean][])('%s -> %s is %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it('lists where a move may start', () => {
    expect(movableTo('archived')).toEqual(['draft', 'active']);
  });
});
