import { ATTRIBUTION, BookingVisitedEvent, Channel, ErrorCode, EVENTS, FUNNEL_GROUP_BY, FunnelGroupBy, FunnelView, Role } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { agent, ops } from '../../test/harness';
import {
  admin,
  applyDataset,
  buildDataset,
  FunnelHarness,
  inTransaction,
  recordTouchpoints,
  referenceFunnel,
  refusal,
  snapshot,
  startFunnel,
} from '../../test/funnel-fixtures';

const funnel = (h: FunnelHarness, query: Record<string, string>, actor: unknown = ops) => h.call<FunnelView>(ATTRIBUTION.funnel, query, { actor });

describe('the funnel (real Postgres and Redis, through the transport)', () => {
  describe('against plain SQL counts over the raw rows', () => {
    let h: FunnelHarness;
    // 2025-03-01 00:00Z to 2025-03-06 00:00Z, in every hour and on its awkward edges.
    const start = Date.parse('2025-03-01T00:00:00Z');

    beforeAll(async () => {
      h = await startFunnel();
      await applyDataset(h, buildDataset(42, start, 5));
    });
    afterAll(async () => {
      await h?.close();
    });

    const ranges: [string, { from: string; to: string; tz?: string }][] = [
      ['everything, in whole hours', { from: '2025-02-28T00:00:00Z', to: '2025-03-07T00:00:00Z' }],
      ['dates in the report time zone (Shanghai)', { from: '2025-03-02', to: '2025-03-04' }],
      ['dates in Kolkata: midnights on the half hour', { from: '2025-03-02', to: '2025-03-05', tz: 'Asia/Kolkata' }],
      ['dates in New York', { from: '2025-03-01', to: '2025-03-03', tz: 'America/New_York' }],
      ['instants inside hours', { from: '2025-03-01T10:17:00Z', to: '2025-03-04T05:43:10.500Z' }],
      ['instants a millisecond off the hour', { from: '2025-03-02T00:00:00.001Z', to: '2025-03-03T23:59:59.999Z' }],
      ['instants with offsets', { from: '2025-03-02T08:30:00+08:00', to: '2025-03-03T21:15:00+05:30' }],
      ['inside a single hour', { from: '2025-03-02T10:05:00Z', to: '2025-03-02T10:55:00Z' }],
      ['across one hour boundary, no whole hour', { from: '2025-03-02T10:30:00Z', to: '2025-03-02T11:30:00Z' }],
      ['one whole hour', { from: '2025-03-03T07:00:00Z', to: '2025-03-03T08:00:00Z' }],
      ['a range with nothing in it', { from: '2025-01-01', to: '2025-01-02' }],
    ];

    it.each(ranges)('agrees on every figure, for every grouping: %s', async (_, range) => {
      for (const groupBy of FUNNEL_GROUP_BY) {
        const answer = await funnel(h, { ...range, groupBy });
        const expected = await referenceFunnel(h.ds, new Date(answer.from), new Date(answer.to), groupBy);
        expect({ groupBy, rows: answer.rows, total: answer.total }).toEqual({ groupBy, ...expected });
      }
    });

    it('reads dates as midnight in tz, the report time zone by default', async () => {
      expect(await funnel(h, { from: '2025-03-02', to: '2025-03-04', groupBy: 'channel' })).toMatchObject({
        from: '2025-03-01T16:00:00.000Z',
        to: '2025-03-03T16:00:00.000Z',
        tz: 'Asia/Shanghai',
      });
      expect(await funnel(h, { from: '2025-03-02', to: '2025-03-04', groupBy: 'channel', tz: 'Asia/Kolkata' })).toMatchObject({
        from: '2025-03-01T18:30:00.000Z',
        to: '2025-03-03T18:30:00.000Z',
        tz: 'Asia/Kolkata',
      });
    });

    it('has data under several keys of each dimension, so that the agreement means something', async () => {
      const all = { from: '2025-02-28T00:00:00Z', to: '2025-03-07T00:00:00Z' };
      for (const groupBy of FUNNEL_GROUP_BY) {
        const { rows, total } = await funnel(h, { ...all, groupBy });
        expect(rows.length).toBeGreaterThanOrEqual(3);
        expect(total.visits).toBeGreaterThan(0);
        expect(total.deals).toBeGreaterThan(0);
      }
      const byChannel = await funnel(h, { ...all, groupBy: 'channel' });
      expect(byChannel.rows.map((r) => r.key)).toContain('none');
      // A booking with several brands is in each brand's row: the brand rows add up to more than the total.
      const byBrand = await funnel(h, { ...all, groupBy: 'brand' });
      expect(byBrand.rows.reduce((n, r) => n + r.bookings, 0)).toBeGreaterThan(byBrand.total.bookings);
      expect(byBrand.rows.find((r) => r.key === 'none')?.visits).toBe(byBrand.total.visits);
    });

    it('counts nothing twice: the same step again, and a touchpoint request delivered again', async () => {
      const data = buildDataset(43, start, 5);
      const requestId = `touchpoints-${newId()}`;
      await recordTouchpoints(h, { events: data.touchpointBatches[1] }, requestId);
      await inTransaction(h, (s) => s.consultationRecorded(data.consultations[0]));
      await inTransaction(h, (s) => s.bookingCreated(data.bookings[0]));
      await inTransaction(h, (s) => s.bookingVisited(data.visits[0]));
      await inTransaction(h, (s) => s.dealClosed(data.deals[0].event, data.deals[0].credit));
      const before = await snapshot(h);
      await recordTouchpoints(h, { events: data.touchpointBatches[1] }, requestId);
      await inTransaction(h, (s) => s.consultationRecorded(data.consultations[0]));
      await inTransaction(h, (s) => s.bookingCreated(data.bookings[0]));
      await inTransaction(h, (s) => s.bookingVisited({ ...data.visits[0], visitedAt: new Date(start).toISOString() }));
      await inTransaction(h, (s) => s.dealClosed(data.deals[0].event, { channel: Channel.Seo, agentId: 'someone-else' }));
      expect(await snapshot(h)).toEqual(before);
    });
  });

  describe('its rules and its refusals', () => {
    let h: FunnelHarness;

    beforeAll(async () => {
      h = await startFunnel();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('counts a check-in from the event queue under its booking’s channel, once however often it is delivered', async () => {
      const visit: BookingVisitedEvent = {
        bookingId: newId(),
        consultationId: null,
        leadId: null,
        phone: '13900000000',
        city: 'Shanghai',
        storeId: newId(),
        brandIds: [],
        kind: 'store_visit',
        source: { channel: Channel.Partner, campaign: null, agentId: 'agent-9', visitorId: null },
        at: '2025-04-01T10:00:00.000Z',
        visitedAt: '2025-04-01T10:30:00.000Z',
      };
      const envelope = {
        id: newId(),
        type: EVENTS.bookingVisited,
        source: 'booking' as const,
        occurredAt: visit.visitedAt,
        data: visit as unknown as Record<string, unknown>,
      };
      expect(await h.consumer.handle(envelope)).toBe(true);
      expect(await h.consumer.handle(envelope)).toBe(false);
      await h.consumer.handle({ ...envelope, id: newId() });
      const { rows, total } = await funnel(h, { from: '2025-04-01', to: '2025-04-02', groupBy: 'channel' });
      expect(rows).toEqual([expect.objectContaining({ key: 'partner', storeVisits: 1, bookings: 0, toStoreRate: null })]);
      expect(total.storeVisits).toBe(1);
    });

    it('caps rates at 1 and leaves them null without a denominator', async () => {
      await recordTouchpoints(h, { events: [{ visitorId: 'v-cap', type: 'visit', channel: 'direct', at: '2025-05-01T10:00:00Z' }] });
      for (const id of [newId(), newId(), newId()]) {
        await inTransaction(h, (s) =>
          s.consultationRecorded({
            consultationId: id,
            phone: null,
            city: 'Shanghai',
            source: { channel: Channel.Direct, campaign: null, agentId: null, visitorId: 'v-cap' },
            budgetFen: null,
            recordedAt: '2025-05-01T10:15:00Z',
          }),
        );
      }
      const byChannel = await funnel(h, { from: '2025-05-01', to: '2025-05-02', groupBy: 'channel' });
      expect(byChannel.rows).toEqual([expect.objectContaining({ key: 'direct', visits: 1, consultations: 3, consultationRate: 1, bookingRate: 0 })]);
      // Grouped by city, visits are all under none: Shanghai has no visits to divide by.
      const byCity = await funnel(h, { from: '2025-05-01', to: '2025-05-02', groupBy: 'city' });
      expect(byCity.rows.map((r) => [r.key, r.visits, r.consultations, r.consultationRate])).toEqual([
        ['Shanghai', 0, 3, null],
        ['none', 1, 0, 0],
      ]);
      expect(byCity.total).toMatchObject({ visits: 1, consultations: 3, consultationRate: 1, toStoreRate: null, dealRate: null });
    });

    it('is read by ops and admin; others are refused', async () => {
      const query = { from: '2025-05-01', to: '2025-05-02', groupBy: 'store' };
      await expect(funnel(h, query, admin)).resolves.toMatchObject({ total: expect.any(Object) });
      for (const actor of [
        agent,
        { kind: 'anonymous' },
        { kind: 'staff', userId: newId(), roles: [Role.StoreManager] },
        { kind: 'partner', keyId: 'k', brandId: newId() },
      ]) {
        expect((await refusal(funnel(h, query, actor))).code).toBe(ErrorCode.Forbidden);
      }
    });

    it.each([
      ['no from', { to: '2025-05-02', groupBy: 'channel' }, ['from']],
      ['a from that is not a day', { from: '2025-02-30', to: '2025-05-02', groupBy: 'channel' }, ['from']],
      ['a local time without offset', { from: '2025-05-01T10:00', to: '2025-05-02', groupBy: 'channel' }, ['from']],
      ['to before from', { from: '2025-05-02', to: '2025-05-01', groupBy: 'channel' }, ['to']],
      ['to equal to from', { from: '2025-05-01T10:00:00Z', to: '2025-05-01T18:00:00+08:00', groupBy: 'channel' }, ['to']],
      ['over 366 days', { from: '2024-01-01', to: '2025-01-03', groupBy: 'channel' }, ['to']],
      ['an unknown grouping', { from: '2025-05-01', to: '2025-05-02', groupBy: 'campaign' }, ['groupBy']],
      ['no grouping', { from: '2025-05-01', to: '2025-05-02' }, ['groupBy']],
      ['an unknown time zone', { from: '2025-05-01', to: '2025-05-02', groupBy: 'channel', tz: 'Mars/Olympus' }, ['tz']],
      ['an unknown field', { from: '2025-05-01', to: '2025-05-02', groupBy: 'channel', limit: '5' }, ['limit']],
    ])('refuses %s as bad input naming the field', async (_, query, fields) => {
      const r = await refusal(funnel(h, query as Record<string, string>));
      expect(r.code).toBe(ErrorCode.BadInput);
      expect(r.fields).toEqual(fields);
    });

    it.each(FUNNEL_GROUP_BY.map((g) => [g]))('answers an empty range grouped by %s with no rows and zero totals', async (groupBy: FunnelGroupBy) => {
      const { rows, total } = await funnel(h, { from: '2020-01-01', to: '2020-02-01', groupBy });
      expect(rows).toEqual([]);
      expect(total).toEqual({
        visits: 0,
        consultations: 0,
        bookings: 0,
        storeVisits: 0,
        deals: 0,
        consultationRate: null,
        bookingRate: null,
        toStoreRate: null,
        dealRate: null,
        dealAmountFen: 0,
        budgetFen: 0,
        premiumFen: 0,
      });
    });
  });
});
