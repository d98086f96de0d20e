import { MigrationInterface, QueryRunner } from 'typeorm';

/** Placeholder: the tables of commissions. */
export class Commissions1795800000100 implements MigrationInterface {
  name = 'Commissions1795800000100';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
