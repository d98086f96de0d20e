import { Injectable } from '@nestjs/common';
import { Actor, BoothView, CreateStoreDto, EVENTS, JoinStoreMessage, Page, StoreEventData, StoreQueryDto, StoreView, UpdateStoreMessage } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, toPage, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { requireCatalogManager } from '../access';
import { BrandsRepository } from '../brands/brands.repository';
import { ProductStoresRepository } from '../displays/product-stores.repository';
import { BoothsRepository, toBoothView } from './booths.repository';
import { StoreFields, StoreRow, StoresRepository, toStoreView } from './stores.repository';
import { assertHours, withStoreDefaults } from './stores.rules';

const eventData = ({ createdAt: _c, updatedAt: _u, ...store }: StoreView): StoreEventData => store;

@Injectable()
export class StoresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stores: StoresRepository,
    private readonly booths: BoothsRepository,
    private readonly brands: BrandsRepository,
    private readonly productStores: ProductStoresRepository,
  ) {}

  async create(dto: CreateStoreDto, actor: Actor): Promise<StoreView> {
    requireCatalogManager(actor);
    const store = withStoreDefaults(dto);
    assertHours(store.opensAt, store.closesAt);
    return this.dataSource.transaction(async () => {
      const view = toStoreView(await this.stores.insert(newId(), store));
      await writeEvent(this.dataSource.manager, EVENTS.storeCreated, eventData(view));
      return view;
    });
  }

  async update({ id, ...changes }: UpdateStoreMessage, actor: Actor): Promise<StoreView> {
    requireCatalogManager(actor);
    return this.dataSource.transaction(async () => {
      const current = await this.lock(id);
      const next: StoreFields = {
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
      const row = await this.stores.update(id, next);
      if (!row) throw notFound('Store');
      // The display index carries the city; keep it in step.
      if (next.city !== current.city) await this.productStores.moveStore(id, next.city);
      const view = toStoreView(row);
      await writeEvent(this.dataSource.manager, EVENTS.storeUpdated, eventData(view));
      return view;
    });
  }

  async get(id: string): Promise<StoreView> {
    const row = await this.stores.find(id);
    if (!row) throw notFound('Store');
    return toStoreView(row);
  }

  async list(query: StoreQueryDto): Promise<Page<StoreView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.stores.page(size, decodeIdCursor(query.cursor), query.city);
    return toPage(rows, size, (r) => [r.id], toStoreView);
  }

  /** Makes a brand a tenant of a store (or renames its booth). */
  async join({ storeId, brandId, booth }: JoinStoreMessage, actor: Actor): Promise<BoothView> {
    requireCatalogManager(actor);
    return this.dataSource.transaction(async () => {
      const store = await this.lock(storeId);
      if (!(await this.brands.exists(brandId))) throw notFound('Brand');
      const row = await this.booths.put(storeId, brandId, booth ?? null);
      await writeEvent(this.dataSource.manager, EVENTS.brandJoinedStore, { storeId, brandId, booth: row.booth, city: store.city });
      return toBoothView(row);
    });
  }

  private async lock(id: string): Promise<StoreRow> {
    const row = await this.stores.findForUpdate(id);
    if (!row) throw notFound('Store');
    return row;
  }
}
