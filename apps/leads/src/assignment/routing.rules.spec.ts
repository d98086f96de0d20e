import { Candidate, inRotation, pickSalesperson, routingTargets } from './routing.rules';

const c = (id: string, over: Partial<Candidate> = {}): Candidate => ({ id, dailyCapacity: 10, assignedToday: 0, openLeads: 0, ...over });

describe('routing targets', () => {
  const tenancies = [
    { storeId: 's1', brandId: 'b1' },
    { storeId: 's2', brandId: 'b1' },
    { storeId: 's2', brandId: 'b2' },
  ];

  it.each([
    [{ storeId: 's2', brandIds: ['b2', 'b1'] }, ['s2/b2', 's2/b1', 's1/b1']],
    [{ storeId: null, brandIds: ['b1'] }, ['s1/b1', 's2/b1']],
    [{ storeId: 's9', brandIds: ['b1'] }, ['s1/b1', 's2/b1']],
    [{ storeId: 's2', brandIds: [] }, ['s2/-', 's1/-', 's3/-']],
    [{ storeId: null, brandIds: [] }, ['s1/-', 's2/-', 's3/-']],
  ] as [{ storeId: string | null; brandIds: string[] }, string[]][])('%j tries %j', (lead, expected) => {
    const relevant = tenancies.filter((t) => lead.brandIds.includes(t.brandId));
    expect(routingTargets(lead, relevant, ['s1', 's2', 's3']).map((t) => `${t.storeId}/${t.brandId ?? '-'}`)).toEqual(expected);
  });
});

describe('strategies', () => {
  it('rotates after the last person assigned, wrapping round', () => {
    expect(inRotation([c('a'), c('b'), c('c')], 'b').map((p) => p.id)).toEqual(['c', 'a', 'b']);
    expect(inRotation([c('a'), c('c')], 'b').map((p) => p.id)).toEqual(['c', 'a']);
    expect(inRotation([c('a'), c('b')], 'z').map((p) => p.id)).toEqual(['a', 'b']);
  });

  it.each([
    ['round_robin', [c('a'), c('b'), c('c')], 'a', 'b'],
    ['round_robin', [c('a'), c('b', { assignedToday: 10 }), c('c')], 'a', 'c'],
    ['round_robin', [c('a'), c('b')], undefined, 'a'],
    ['least_loaded', [c('a', { openLeads: 3 }), c('b', { openLeads: 1 }), c('c', { openLeads: 1 })], 'b', 'c'],
    ['weighted', [c('a', { dailyCapacity: 10, assignedToday: 2 }), c('b', { dailyCapacity: 30, assignedToday: 5 })], undefined, 'b'],
    ['weighted', [c('a', { dailyCapacity: 10, assignedToday: 1 }), c('b', { dailyCapacity: 30, assignedToday: 3 })], 'a', 'b'],
    ['weighted', [c('a', { dailyCapacity: 0 }), c('b', { dailyCapacity: 30, assignedToday: 29 })], undefined, 'b'],
  ] as const)('%s over %j after %s picks %s', (strategy, people, last, expected) => {
    expect(pickSalesperson(strategy, [...people], last)?.staffId).toBe(expected);
  });

  it('picks nobody when everyone is at capacity', () => {
    expect(pickSalesperson('round_robin', [c('a', { dailyCapacity: 1, assignedToday: 1 }), c('b', { dailyCapacity: 0 })], undefined)).toBeUndefined();
  });
});
