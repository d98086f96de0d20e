import { __Thing__Status } from '@o2o/contracts';
import { canMove, movableTo } from './__domain__.rules';

describe('__thing__ status moves', () => {
  it.each([
    ['draft', 'active', true],
    ['draft', 'archived', true],
    ['active', 'archived', true],
    ['active', 'draft', false],
    ['archived', 'active', false],
    ['draft', 'draft', false],
  ] as [__Thing__Status, __Thing__Status, boolean][])('%s -> %s is %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it('lists where a move may start', () => {
    expect(movableTo('archived')).toEqual(['draft', 'active']);
  });
});
