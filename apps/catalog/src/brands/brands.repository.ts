import { Injectable } from '@nestjs/common';
import { BrandView } from '@o2o/contracts';
import { DataSource } from 'typeorm';

export interface BrandRow {
  id: string;
  name: string;
  categories: string[];
  created_at: Date;
}

export const toBrandView = (r: BrandRow): BrandView => ({ id: r.id, name: r.name, categories: r.categories, createdAt: r.created_at.toISOString() });

@Injectable()
export class BrandsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(brand: { id: string; name: string; categories: string[] }): Promise<BrandRow> {
    const [row]: BrandRow[] = await this.dataSource.query('INSERT INTO brands (id, name, categories) VALUES ($1, $2, $3) RETURNING *', [
      brand.id,
      brand.name,
      brand.categories,
    ]);
    return row;
  }

  async find(id: string): Promise<BrandRow | undefined> {
    const [row]: BrandRow[] = await this.dataSource.query('SELECT * FROM brands WHERE id = $1', [id]);
    return row;
  }

  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM brands WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** Keyset on id: LIMIT size + 1 tells whether another page follows. */
  async page(size: number, after: string | undefined): Promise<BrandRow[]> {
    return this.dataSource.query('SELECT * FROM brands WHERE ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $1', [size + 1, after ?? null]);
  }
}
