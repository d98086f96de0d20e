import { createPlatformTables, dropPlatformTables } from '@o2o/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformTables1763856000000 implements MigrationInterface {
  name = 'PlatformTables1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await createPlatformTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropPlatformTables(q);
  }
}
