import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { attributionMigrations } from './migrations';
import { AttributionModule } from './attribution.module';

void runService('attribution', AttributionModule, attributionMigrations);
