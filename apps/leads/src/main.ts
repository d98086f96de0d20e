import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { leadsMigrations } from './migrations';
import { LeadsModule } from './leads.module';

void runService('leads', LeadsModule, leadsMigrations);
