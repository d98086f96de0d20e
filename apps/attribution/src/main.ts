import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { AttributionModule } from './app.module';
import { attributionMigrations } from './migrations';

void runService('attribution', AttributionModule, attributionMigrations);
