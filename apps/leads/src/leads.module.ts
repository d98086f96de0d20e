import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { LeadsController } from './leads/leads.controller';
import { LeadsRepository } from './leads/leads.repository';
import { LeadsService } from './leads/leads.service';
import { leadsMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'leads', migrations: leadsMigrations })],
  controllers: [LeadsController],
  providers: [LeadsService, LeadsRepository],
})
export class LeadsModule {}
