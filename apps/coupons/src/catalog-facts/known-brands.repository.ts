import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A brand's categories, as of the catalog event that last changed them. */
export interface BrandFact {
  id: string;
  categories: string[];
  asOf: string;
}

/** The known_brands table: coupons' copy of each brand's categories. */
@Injectable()
export class KnownBrandsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Events may arrive out of order: an older fact never overwrites a newer one. */
  async record(fact: BrandFact): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO known_brands (id, categories, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET categories = EXCLUDED.categories, as_of = EXCLUDED.as_of WHERE known_brands.as_of <= EXCLUDED.as_of`,
      [fact.id, fact.categories, fact.asOf],
    );
  }

  async categoriesOf(brandId: string): Promise<string[] | undefined> {
    const [row] = await this.dataSource.query<{ categories: string[] }[]>('SELECT categories FROM known_brands WHERE id = $1', [brandId]);
    return row?.categories;
  }
}
