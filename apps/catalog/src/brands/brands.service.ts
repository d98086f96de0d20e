import { Injectable } from '@nestjs/common';
import { Actor, BrandQueryDto, BrandView, CreateBrandDto, EVENTS, Page } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, requireBrandAccess, toPage, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { requireCatalogManager } from '../access';
import { BrandsRepository, toBrandView } from './brands.repository';

@Injectable()
export class BrandsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly brands: BrandsRepository,
  ) {}

  async create(dto: CreateBrandDto, actor: Actor): Promise<BrandView> {
    requireCatalogManager(actor);
    return this.dataSource.transaction(async () => {
      const row = await this.brands.insert({ id: newId(), name: dto.name, categories: dto.categories });
      await writeEvent(this.dataSource.manager, EVENTS.brandCreated, { id: row.id, name: row.name, categories: row.categories });
      return toBrandView(row);
    });
  }

  async get(id: string, actor: Actor): Promise<BrandView> {
    requireBrandAccess(actor, id, 'Brand');
    const row = await this.brands.find(id);
    if (!row) throw notFound('Brand');
    return toBrandView(row);
  }

  async list(query: BrandQueryDto): Promise<Page<BrandView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.brands.page(size, decodeIdCursor(query.cursor));
    return toPage(rows, size, (r) => [r.id], toBrandView);
  }
}
