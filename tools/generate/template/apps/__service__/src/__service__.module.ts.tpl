import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { __Domain__Controller } from './__domain__/__domain__.controller';
import { __Domain__Repository } from './__domain__/__domain__.repository';
import { __Domain__Service } from './__domain__/__domain__.service';
import { __service__Migrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: '__service__', migrations: __service__Migrations })],
  controllers: [__Domain__Controller],
  providers: [__Domain__Service, __Domain__Repository],
})
export class __Service__Module {}
