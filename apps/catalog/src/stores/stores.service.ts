import { Injectable } from '@nestjs/common';
import { BoothView, CreateStoreDto, EVENTS, JoinStoreMessage, Page, StoreEventData, StoreQueryDto, StoreView, UpdateStoreMessage } from '@o2o/contracts';
import { badInput, decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, queryRows, toPage, writeEvent } from '@o2o/platform';
import { DataSource, EntityManager } from 'typeorm';

interface StoreRow {
  id: string;
  name: string;
  city: string;
  district: string | null;
  address: string;
  time_zone: string;
  opens_at: string;
  closes_at: string;
  slot_minutes: number;
  slot_capacity: number;
  created_at: Date;
  updated_at: Date;
}

const toView = (r: StoreRow): StoreView => ({
  id: r.id,
  name: r.name,
  city: r.city,
  district: r.district,
  address: r.address,
  timeZone: r.time_zone,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  slotMinutes: r.slot_minutes,
  slotCapacity: r.slot_capacity,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const eventData = ({ createdAt: _c, updatedAt: _u, ...store }: StoreView): StoreEventData => store;

function assertHours(opensAt: string, closesAt: string): void {
  if (opensAt >= closesAt) throw badInput('closesAt must be later than opensAt', [{ field: 'closesAt', message: 'must be later than opensAt' }]);
}

@Injectable()
export class StoresService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateStoreDto): Promise<StoreView> {
    const store = {
      id: newId(),
      timeZone: dto.timeZone ?? 'Asia/Shanghai',
      opensAt: dto.opensAt ?? '10:00',
      closesAt: dto.closesAt ?? '21:00',
      slotMinutes: dto.slotMinutes ?? 60,
      slotCapacity: dto.slotCapacity ?? 4,
    };
    assertHours(store.opensAt, store.closesAt);
    return this.dataSource.transaction(async (m) => {
      const [row]: StoreRow[] = await m.query(
        `INSERT INTO stores (id, name, city, district, address, time_zone, opens_at, closes_at, slot_minutes, slot_capacity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [store.id, dto.name, dto.city, dto.district ?? null, dto.address, store.timeZone, store.opensAt, store.closesAt, store.slotMinutes, store.slotCapacity],
      );
      const view = toView(row);
      await writeEvent(m, EVENTS.storeCreated, eventData(view));
      return view;
    });
  }

  async update({ id, ...changes }: UpdateStoreMessage): Promise<StoreView> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.findForUpdate(m, id);
      const next = {
        name: changes.name ?? current.name,
        city: changes.city ?? current.city,
        district: changes.district ?? current.district,
        address: changes.address ?? current.address,
        timeZone: changes.timeZone ?? current.time_zone,
        opensAt: changes.opensAt ?? current.opens_at,
        closesAt: changes.closesAt ?? current.closes_at,
        slotMinutes: changes.slotMinutes ?? current.slot_minutes,
        slotCapacity: changes.slotCapacity ?? current.slot_capacity,
      };
      assertHours(next.opensAt, next.closesAt);
      const [row] = await queryRows<StoreRow>(
        m,
        `UPDATE stores SET name = $2, city = $3, district = $4, address = $5, time_zone = $6, opens_at = $7, closes_at = $8,
                slot_minutes = $9, slot_capacity = $10, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, next.name, next.city, next.district, next.address, next.timeZone, next.opensAt, next.closesAt, next.slotMinutes, next.slotCapacity],
      );
      // The display index carries the city; keep it in step.
      if (next.city !== current.city) await m.query('UPDATE product_stores SET city = $2 WHERE store_id = $1', [id, next.city]);
      const view = toView(row);
      await writeEvent(m, EVENTS.storeUpdated, eventData(view));
      return view;
    });
  }

  async get(id: string): Promise<StoreView> {
    const [row]: StoreRow[] = await this.dataSource.query('SELECT * FROM stores WHERE id = $1', [id]);
    if (!row) throw notFound('Store');
    return toView(row);
  }

  async list(query: StoreQueryDto): Promise<Page<StoreView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeIdCursor(query.cursor);
    const params: unknown[] = [size + 1];
    const where: string[] = [];
    if (query.city) where.push(`city = $${params.push(query.city)}`);
    if (after) where.push(`id > $${params.push(after)}`);
    const rows: StoreRow[] = await this.dataSource.query(
      `SELECT * FROM stores ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $1`,
      params,
    );
    return toPage(rows, size, (r) => [r.id], toView);
  }

  /** Makes a brand a tenant of a store (or renames its booth). */
  async join({ storeId, brandId, booth }: JoinStoreMessage): Promise<BoothView> {
    return this.dataSource.transaction(async (m) => {
      const store = await this.findForUpdate(m, storeId);
      const [brand] = await m.query('SELECT id FROM brands WHERE id = $1', [brandId]);
      if (!brand) throw notFound('Brand');
      await m.query(
        `INSERT INTO booths (store_id, brand_id, booth) VALUES ($1, $2, $3)
         ON CONFLICT (store_id, brand_id) DO UPDATE SET booth = EXCLUDED.booth`,
        [storeId, brandId, booth ?? null],
      );
      await writeEvent(m, EVENTS.brandJoinedStore, { storeId, brandId, booth: booth ?? null, city: store.city });
      return { storeId, brandId, booth: booth ?? null };
    });
  }

  private async findForUpdate(m: EntityManager, id: string): Promise<StoreRow> {
    const [row]: StoreRow[] = await m.query('SELECT * FROM stores WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound('Store');
    return row;
  }
}
