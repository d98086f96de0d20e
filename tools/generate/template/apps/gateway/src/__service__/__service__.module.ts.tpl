import { Module } from '@nestjs/common';
import { __Domain__Routes } from './__domain__.routes';

/** The __service__ service's routes. */
@Module({ controllers: [__Domain__Routes] })
export class __Service__GatewayModule {}
