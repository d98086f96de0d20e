import { Inject, Injectable } from '@nestjs/common';
import { Actor, ErrorCode, LeadQueryDto, LeadStatus, LeadView, LoseLeadMessage, Page } from '@o2o/contracts';
import { Clock, CLOCK, conflict, decodeIdCursor, DEFAULT_PAGE_SIZE, DomainError, forbidden, notFound, toPage } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { LeadHistoryRepository } from './lead-history.repository';
import { LEAD_MOVES, LeadReader, readerOf, showsPhone } from './leads.rules';
import { LeadRow, LeadScope, LeadsRepository, leadView } from './leads.repository';

/** Reading leads, and the owner's own moves (contacted, lost). Routing and reassignment live in assignment. */
@Injectable()
export class LeadsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly history: LeadHistoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(id: string, actor: Actor): Promise<LeadView> {
    const lead = await this.leads.find(id, scopeOf(reader(actor)));
    if (!lead) throw notFound('Lead');
    return this.view(lead, actor);
  }

  async list(query: LeadQueryDto, actor: Actor): Promise<Page<LeadView>> {
    const scope = scopeOf(reader(actor));
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.leads.page({
      ...scope,
      limit: size + 1,
      beforeId: decodeIdCursor(query.cursor),
      ownerId: query.ownerId,
      inStore: query.storeId,
      status: query.status,
    });
    const items = rows.slice(0, size);
    const history = await this.history.of(items.map((r) => r.id));
    return toPage(
      rows,
      size,
      (r) => [r.id],
      (r) => leadView(r, history.get(r.id) ?? [], showsPhone(actor, r)),
    );
  }

  /** The owner has reached the customer: the SLA timer then does nothing. */
  async contacted(id: string, actor: Actor): Promise<LeadView> {
    return this.ownerMove(id, actor, 'contacted', LeadStatus.Contacted, null);
  }

  async lose(message: LoseLeadMessage, actor: Actor): Promise<LeadView> {
    return this.ownerMove(message.id, actor, 'lost', LeadStatus.Lost, message.reason);
  }

  private ownerMove(id: string, actor: Actor, move: 'contacted' | 'lost', to: LeadStatus, reason: string | null): Promise<LeadView> {
    return this.dataSource.transaction(async () => {
      const lead = await this.leads.find(id, scopeOf(reader(actor)));
      if (!lead) throw notFound('Lead');
      const staffId = actor.kind === 'staff' ? actor.staffId : undefined;
      if (!staffId || lead.owner_id !== staffId) throw forbidden(`Only the lead's owner may mark it ${move}`);
      const now = this.clock.now();
      const moved = await this.leads.move(id, [...LEAD_MOVES[move]], to, now, staffId);
      if (!moved) throw conflict(`The lead cannot be marked ${move} while ${lead.status}`);
      await this.history.add(id, { at: now, action: move, fromStaffId: staffId, reason });
      return this.view(moved, actor);
    });
  }

  private async view(lead: LeadRow, actor: Actor): Promise<LeadView> {
    const history = await this.history.of([lead.id]);
    return leadView(lead, history.get(lead.id) ?? [], showsPhone(actor, lead));
  }
}

function reader(actor: Actor): Exclude<LeadReader, undefined> {
  const r = readerOf(actor);
  if (r) return r;
  if (actor.kind === 'anonymous') throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send a partner API key');
  throw forbidden('Leads are read by store staff, ops, admin and partners');
}

const scopeOf = (r: Exclude<LeadReader, undefined>): LeadScope => (r.all ? {} : { brandId: r.brandId, storeId: r.storeId, staffId: r.staffId });
