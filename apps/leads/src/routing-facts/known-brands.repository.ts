import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface BrandFact {
  id: string;
  name: string;
  asOf: string;
}

/** The known_brands table: the brands leads has heard of, for names in routing reasons. */
@Injectable()
export class KnownBrandsRepository {
  constructor(private readonly db: DataSource) {}

  async record(fact: BrandFact): Promise<void> {
    await this.db.query(
      `INSERT INTO known_brands (id, name, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, as_of = EXCLUDED.as_of WHERE known_brands.as_of <= EXCLUDED.as_of`,
      [fact.id, fact.name, fact.asOf],
    );
  }
}
