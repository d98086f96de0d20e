import { Injectable } from '@nestjs/common';
import { Actor, CreateStaffMessage, EVENTS, Page, Role, StaffQueryDto, StaffView, UpdateStaffMessage } from '@o2o/contracts';
import { badInput, decodeIdCursor, DEFAULT_PAGE_SIZE, forbidden, hasRole, newId, notFound, requireRoles, staffStore, toPage, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { StaffAvailability } from './staff-availability';
import { roleOf, staffProblems } from './staff.rules';
import { staffChanged, StaffRepository, StaffRow, staffView } from './staff.repository';

const DEFAULT_DAILY_CAPACITY = 20;

/**
 * The roster: admin and ops manage everyone; a store manager manages their own store alone. Each
 * change is announced (staff.changed) in its own transaction, so booking's copy of who may close
 * a deal at a store follows the roster.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffRepository,
    private readonly availability: StaffAvailability,
  ) {}

  async create(dto: CreateStaffMessage, actor: Actor): Promise<StaffView> {
    const managed = this.managedStore(actor);
    const problems = staffProblems(dto);
    if (problems.length) throw badInput('The staff member is not valid', problems);
    if (managed !== undefined && (dto.team !== 'offline' || dto.storeId !== managed)) throw forbidden('A store manager adds staff to their own store only');
    const row = await this.dataSource.transaction(async () => {
      const made = await this.staff.insert({
        id: newId(),
        name: dto.name,
        team: dto.team,
        role: roleOf(dto),
        store_id: dto.storeId ?? null,
        brand_ids: [...new Set(dto.brandIds ?? [])],
        daily_capacity: dto.dailyCapacity ?? DEFAULT_DAILY_CAPACITY,
        active: dto.active ?? true,
        created_by: actor.kind === 'staff' ? actor.userId : null,
      });
      return this.announce(made);
    });
    await this.changed(row);
    return staffView(row);
  }

  async update(message: UpdateStaffMessage, actor: Actor): Promise<StaffView> {
    const managed = this.managedStore(actor);
    const row = await this.dataSource.transaction(async () => {
      const updated = await this.staff.update(
        message.id,
        { active: message.active, daily_capacity: message.dailyCapacity, brand_ids: message.brandIds && [...new Set(message.brandIds)] },
        managed,
      );
      if (!updated) throw notFound('Staff member');
      return this.announce(updated);
    });
    await this.changed(row);
    return staffView(row);
  }

  async get(id: string, actor: Actor): Promise<StaffView> {
    const managed = this.managedStore(actor);
    const row = await this.staff.find(id);
    if (!row || (managed !== undefined && row.store_id !== managed)) throw notFound('Staff member');
    return staffView(row);
  }

  async list(query: StaffQueryDto, actor: Actor): Promise<Page<StaffView>> {
    const managed = this.managedStore(actor);
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.staff.page({ limit: size + 1, afterId: decodeIdCursor(query.cursor), storeId: query.storeId, team: query.team, inStore: managed });
    return toPage(rows, size, (r) => [r.id], staffView);
  }

  /** undefined for admin and ops (every store); the store of a store manager; anyone else is refused. */
  private managedStore(actor: Actor): string | undefined {
    requireRoles(actor, Role.Ops, Role.StoreManager);
    if (hasRole(actor, Role.Ops)) return undefined;
    const store = staffStore(actor);
    if (!store) throw forbidden('A store manager without a store manages nobody');
    return store;
  }

  /** Tells the other services, in the transaction of the change. */
  private async announce(row: StaffRow): Promise<StaffRow> {
    await writeEvent(this.dataSource.manager, EVENTS.staffChanged, staffChanged(row));
    return row;
  }

  private async changed(row: StaffRow): Promise<void> {
    if (row.active && row.team === 'offline' && row.store_id) await this.availability.changed(row.store_id);
  }
}
