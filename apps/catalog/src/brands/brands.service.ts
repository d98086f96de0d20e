import { Injectable } from '@nestjs/common';
import { Actor, BrandView, CreateBrandDto, EVENTS, Page, PageQueryDto } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, requireBrandAccess, toPage, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';

interface BrandRow {
  id: string;
  name: string;
  categories: string[];
  created_at: Date;
}

const toView = (r: BrandRow): BrandView => ({ id: r.id, name: r.name, categories: r.categories, createdAt: r.created_at.toISOString() });

@Injectable()
export class BrandsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateBrandDto): Promise<BrandView> {
    return this.dataSource.transaction(async (m) => {
      const [row]: BrandRow[] = await m.query('INSERT INTO brands (id, name, categories) VALUES ($1, $2, $3) RETURNING *', [newId(), dto.name, dto.categories]);
      await writeEvent(m, EVENTS.brandCreated, { id: row.id, name: row.name, categories: row.categories });
      return toView(row);
    });
  }

  async get(id: string, actor: Actor): Promise<BrandView> {
    requireBrandAccess(actor, id, 'Brand');
    const [row]: BrandRow[] = await this.dataSource.query('SELECT * FROM brands WHERE id = $1', [id]);
    if (!row) throw notFound('Brand');
    return toView(row);
  }

  async list(query: PageQueryDto): Promise<Page<BrandView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeIdCursor(query.cursor) ?? null;
    const rows: BrandRow[] = await this.dataSource.query(
      'SELECT * FROM brands WHERE ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $1',
      [size + 1, after],
    );
    return toPage(rows, size, (r) => [r.id], toView);
  }
}
