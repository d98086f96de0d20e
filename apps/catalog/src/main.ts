import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { CatalogModule } from './catalog.module';
import { catalogMigrations } from './migrations';

void runService('catalog', CatalogModule, catalogMigrations);
