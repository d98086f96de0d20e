import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A store's city, as of the catalog event that last changed it. */
export interface StoreFact {
  id: string;
  city: string;
  asOf: string;
}

/** The known_stores table: leads' copy of each store's city. */
@Injectable()
export class KnownStoresRepository {
  constructor(private readonly db: DataSource) {}

  /** Events may arrive out of order: an older fact never overwrites a newer one. */
  async record(fact: StoreFact): Promise<void> {
    await this.db.query(
      `INSERT INTO known_stores (id, city, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET city = EXCLUDED.city, as_of = EXCLUDED.as_of WHERE known_stores.as_of <= EXCLUDED.as_of`,
      [fact.id, fact.city, fact.asOf],
    );
  }

  async cityOf(storeId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ city: string }[]>('SELECT city FROM known_stores WHERE id = $1', [storeId]);
    return row?.city;
  }

  /** The stores of a city, in a stable order. */
  async inCity(city: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>('SELECT id FROM known_stores WHERE city = $1 ORDER BY id', [city]);
    return rows.map((r) => r.id);
  }
}
