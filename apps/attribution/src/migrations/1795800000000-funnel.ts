import { MigrationInterface, QueryRunner } from 'typeorm';

/** Placeholder: the tables of the funnel. */
export class Funnel1795800000000 implements MigrationInterface {
  name = 'Funnel1795800000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
