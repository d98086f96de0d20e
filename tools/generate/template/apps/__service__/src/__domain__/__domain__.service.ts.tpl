import { Injectable } from '@nestjs/common';
import { Actor, Create__Thing__Dto, Move__Thing__Message, Page, PageQueryDto, Role, __Thing__View } from '@o2o/contracts';
import { conflict, decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, requireRoles, toPage } from '@o2o/platform';
import { movableTo } from './__domain__.rules';
import { __Domain__Repository, to__Thing__View } from './__domain__.repository';

/** The rules of __domain__; the SQL is in the repository. */
@Injectable()
export class __Domain__Service {
  constructor(private readonly repository: __Domain__Repository) {}

  async create(dto: Create__Thing__Dto, actor: Actor): Promise<__Thing__View> {
    requireRoles(actor, Role.Ops);
    const row = await this.repository.insert({ id: newId(), name: dto.name, status: 'draft', created_by: actor.kind === 'staff' ? actor.userId : null });
    return to__Thing__View(row);
  }

  async get(id: string): Promise<__Thing__View> {
    const row = await this.repository.find(id);
    if (!row) throw notFound('__Thing__');
    return to__Thing__View(row);
  }

  async list(query: PageQueryDto): Promise<Page<__Thing__View>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.page(size + 1, decodeIdCursor(query.cursor));
    return toPage(rows, size, (r) => [r.id], to__Thing__View);
  }

  async move(message: Move__Thing__Message, actor: Actor): Promise<__Thing__View> {
    requireRoles(actor, Role.Ops);
    const moved = await this.repository.move(message.id, movableTo(message.status), message.status);
    if (moved) return to__Thing__View(moved);
    if (!(await this.repository.find(message.id))) throw notFound('__Thing__');
    throw conflict(`The __thing__ cannot move to ${message.status} from its current status`);
  }
}
