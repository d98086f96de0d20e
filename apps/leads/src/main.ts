import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { LeadsModule } from './app.module';
import { leadsMigrations } from './migrations';

void runService('leads', LeadsModule, leadsMigrations);
