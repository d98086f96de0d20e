import { Inject, Injectable } from '@nestjs/common';
import { parseInstant, RecordTouchpointDto, RecordTouchpointsDto, TouchpointReceiptView } from '@o2o/contracts';
import { CLOCK, Clock, newId } from '@o2o/platform';
import { TouchpointRow, TouchpointsRepository } from './touchpoints.repository';
import { AddedSpan, VisitorHoursRepository } from './visitor-hours.repository';
import { VisitorBoundsRepository } from './visitor-bounds.repository';
import { VisitorsRepository } from './visitors.repository';
import {
  ALL_VISITORS,
  boundsAfter,
  boundsDeltas,
  BoundsChange,
  channelScope,
  DistinctVisitors,
  distinctVisitorsOf,
  Sighting,
  TimeRange,
  visitorHoursOf,
} from './touchpoints.rules';

const idOf = (v: { scope: string; visitorId: string }) => `${v.scope}\u0000${v.visitorId}`;

/**
 * Touchpoints: stored a batch at a time, and the distinct-visitor rollups moved with them, in the
 * command's transaction (so a batch is counted once, and all of it or none).
 */
@Injectable()
export class TouchpointsService {
  constructor(
    private readonly touchpoints: TouchpointsRepository,
    private readonly visitors: VisitorsRepository,
    private readonly visitorHours: VisitorHoursRepository,
    private readonly bounds: VisitorBoundsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(dto: RecordTouchpointsDto): Promise<TouchpointReceiptView> {
    const events: RecordTouchpointDto[] = dto.events ?? [dto as RecordTouchpointDto];
    const now = this.clock.now();
    const rows: TouchpointRow[] = events.map((e) => ({
      id: newId(),
      visitor_id: e.visitorId,
      type: e.type,
      channel: e.channel,
      campaign: e.campaign ?? null,
      keyword: e.keyword ?? null,
      landing_page: e.landingPage ?? null,
      at: e.at === undefined ? now : new Date(parseInstant(e.at)!),
    }));
    await this.touchpoints.insertMany(rows);
    await this.countVisitors(rows.map((r) => ({ visitorId: r.visitor_id, channel: r.channel, at: r.at.getTime() })));
    return { accepted: rows.length };
  }

  /**
   * Each visitor's row is taken first (new ones added, known ones locked, in one order), then its
   * hours are added and linked, then the counts of visitors first and last seen per hour move.
   */
  private async countVisitors(sightings: Sighting[]): Promise<void> {
    const seen = visitorHoursOf(sightings);
    const added = await this.visitors.addNew(
      seen.map((v) => ({ scope: v.scope, visitorId: v.visitorId, first: v.hours[0], last: v.hours[v.hours.length - 1] })),
    );
    const addedIds = new Set(added.map(idOf));
    const known = new Map((await this.visitors.lock(seen.filter((v) => !addedIds.has(idOf(v))))).map((v) => [idOf(v), v]));

    const changes: (BoundsChange & { visitorId: string })[] = seen.map((v) => {
      const before = known.get(idOf(v)) ?? null;
      return { scope: v.scope, visitorId: v.visitorId, before, after: boundsAfter(before, v.hours) };
    });
    await this.visitors.setBounds(
      changes
        .filter((c) => c.before && (c.before.first !== c.after.first || c.before.last !== c.after.last))
        .map((c) => ({ scope: c.scope, visitorId: c.visitorId, ...c.after })),
    );

    const fresh = await this.visitorHours.addNew(seen.flatMap((v) => v.hours.map((hour) => ({ scope: v.scope, visitorId: v.visitorId, hour }))));
    const spans = new Map<string, AddedSpan>();
    for (const h of fresh) {
      const span = spans.get(idOf(h));
      spans.set(idOf(h), span ? { ...span, first: Math.min(span.first, h.hour), last: Math.max(span.last, h.hour) } : { ...h, first: h.hour, last: h.hour });
    }
    await this.visitorHours.relink([...spans.values()].map(({ scope, visitorId, first, last }) => ({ scope, visitorId, first, last })));
    await this.bounds.apply(boundsDeltas(changes));
  }

  /**
   * Distinct visitors over whole hours (from the rollups) and partial edge hours (from the raw
   * touchpoints, adding only the visitors not seen in the whole hours). Over whole hours [A, B):
   * those last seen at or after A, less those first seen at or after B, less those seen before A
   * and next at or after B.
   */
  async distinctVisitors(whole: TimeRange | null, edges: TimeRange[]): Promise<DistinctVisitors> {
    const perScope = new Map<string, number>();
    const add = (counts: Map<string, number>, sign: 1 | -1) => {
      for (const [scope, n] of counts) perScope.set(scope, (perScope.get(scope) ?? 0) + sign * n);
    };
    if (whole) {
      add(await this.bounds.lastFromLessFirstFrom(whole.from, whole.to), 1);
      add(await this.visitorHours.seenAround(whole.from, whole.to), -1);
    }
    const atEdges = await this.touchpoints.visitorsWithin(edges);
    const pairs = new Map<string, { scope: string; visitorId: string }>();
    for (const v of atEdges) {
      for (const scope of [ALL_VISITORS, channelScope(v.channel)]) pairs.set(idOf({ scope, visitorId: v.visitorId }), { scope, visitorId: v.visitorId });
    }
    add(await this.visitorHours.unseenWithin([...pairs.values()], whole?.from ?? 0, whole?.to ?? 0), 1);
    return distinctVisitorsOf(perScope);
  }
}
