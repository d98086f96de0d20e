import { MigrationInterface, QueryRunner } from 'typeorm';

export class __Domain____timestamp__ implements MigrationInterface {
  name = '__Domain____timestamp__';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE __domain__ (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        status text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE __domain__');
  }
}
