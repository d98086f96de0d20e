import { Injectable } from '@nestjs/common';
import { Actor, CreateLeadDto, MoveLeadMessage, Page, PageQueryDto, Role, LeadView } from '@o2o/contracts';
import { conflict, decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, requireRoles, toPage } from '@o2o/platform';
import { movableTo } from './leads.rules';
import { LeadsRepository, toLeadView } from './leads.repository';

/** The rules of leads; the SQL is in the repository. */
@Injectable()
export class LeadsService {
  constructor(private readonly repository: LeadsRepository) {}

  async create(dto: CreateLeadDto, actor: Actor): Promise<LeadView> {
    requireRoles(actor, Role.Ops);
    const row = await this.repository.insert({ id: newId(), name: dto.name, status: 'draft', created_by: actor.kind === 'staff' ? actor.userId : null });
    return toLeadView(row);
  }

  async get(id: string): Promise<LeadView> {
    const row = await this.repository.find(id);
    if (!row) throw notFound('Lead');
    return toLeadView(row);
  }

  async list(query: PageQueryDto): Promise<Page<LeadView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.page(size + 1, decodeIdCursor(query.cursor));
    return toPage(rows, size, (r) => [r.id], toLeadView);
  }

  async move(message: MoveLeadMessage, actor: Actor): Promise<LeadView> {
    requireRoles(actor, Role.Ops);
    const moved = await this.repository.move(message.id, movableTo(message.status), message.status);
    if (moved) return toLeadView(moved);
    if (!(await this.repository.find(message.id))) throw notFound('Lead');
    throw conflict(`The lead cannot move to ${message.status} from its current status`);
  }
}
