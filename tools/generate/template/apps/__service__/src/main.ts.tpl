import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { __service__Migrations } from './migrations';
import { __Service__Module } from './__service__.module';

void runService('__service__', __Service__Module, __service__Migrations);
