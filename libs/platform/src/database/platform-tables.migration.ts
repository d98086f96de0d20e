import { MigrationInterface, QueryRunner } from 'typeorm';
import { createPlatformTables, dropPlatformTables } from './platform-tables';

/** Every service's first migration: its outbox and its record of consumed events. */
export class PlatformTables1763856000000 implements MigrationInterface {
  name = 'PlatformTables1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await createPlatformTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropPlatformTables(q);
  }
}
