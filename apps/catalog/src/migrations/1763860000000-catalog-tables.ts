import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogTables1763860000000 implements MigrationInterface {
  name = 'CatalogTables1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await q.query(`
      CREATE TABLE stores (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        city text NOT NULL,
        district text,
        address text NOT NULL,
        time_zone text NOT NULL,
        opens_at text NOT NULL,
        closes_at text NOT NULL,
        slot_minutes int NOT NULL CHECK (slot_minutes > 0),
        slot_capacity int NOT NULL CHECK (slot_capacity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (opens_at < closes_at)
      )`);
    await q.query('CREATE INDEX stores_city ON stores (city, id)');
    await q.query(`
      CREATE TABLE brands (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        categories text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE booths (
        store_id uuid NOT NULL REFERENCES stores (id),
        brand_id uuid NOT NULL REFERENCES brands (id),
        booth text,
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, brand_id)
      )`);
    await q.query('CREATE INDEX booths_brand ON booths (brand_id)');
    await q.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brands (id),
        name text NOT NULL,
        category text NOT NULL,
        style text,
        description text,
        images text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('draft', 'published')),
        from_price_fen bigint NOT NULL CHECK (from_price_fen > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Listing reads published products newest first (keyset on id), narrowed by one filter or more.
    await q.query(`CREATE INDEX products_published ON products (id) WHERE status = 'published'`);
    await q.query(`CREATE INDEX products_published_category ON products (category, id) WHERE status = 'published'`);
    await q.query(`CREATE INDEX products_published_style ON products (style, id) WHERE status = 'published'`);
    await q.query(`CREATE INDEX products_published_price ON products (from_price_fen, id) WHERE status = 'published'`);
    await q.query('CREATE INDEX products_brand ON products (brand_id, id)');
    await q.query('CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops)');
    await q.query(`
      CREATE TABLE skus (
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        code text NOT NULL,
        name text,
        attributes jsonb NOT NULL DEFAULT '{}',
        price_fen bigint NOT NULL CHECK (price_fen > 0),
        PRIMARY KEY (product_id, code),
        CONSTRAINT skus_brand_code UNIQUE (brand_id, code)
      )`);
    // Where a product is on display; the store's city is copied here so a city filter is one index.
    await q.query(`
      CREATE TABLE product_stores (
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        store_id uuid NOT NULL REFERENCES stores (id),
        city text NOT NULL,
        PRIMARY KEY (product_id, store_id)
      )`);
    await q.query('CREATE INDEX product_stores_city ON product_stores (city, product_id)');
    await q.query('CREATE INDEX product_stores_store ON product_stores (store_id, product_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['product_stores', 'skus', 'products', 'booths', 'brands', 'stores']) await q.query(`DROP TABLE ${t}`);
  }
}
