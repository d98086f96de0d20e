import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, Create__Thing__Dto, IdDto, Move__Thing__Message, PageQueryDto, __SERVICE__ } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { __Domain__Service } from './__domain__.service';

/** Thin: validate (the DTOs), one service call. */
@Controller()
export class __Domain__Controller {
  constructor(private readonly __domain__: __Domain__Service) {}

  @Command(__SERVICE__.create__Thing__)
  create(@Data() dto: Create__Thing__Dto, @MessageActor() actor: Actor) {
    return this.__domain__.create(dto, actor);
  }

  @MessagePattern(__SERVICE__.get__Thing__)
  get(@Data() dto: IdDto) {
    return this.__domain__.get(dto.id);
  }

  @MessagePattern(__SERVICE__.list__Domain__)
  list(@Data() dto: PageQueryDto) {
    return this.__domain__.list(dto);
  }

  @Command(__SERVICE__.move__Thing__)
  move(@Data() dto: Move__Thing__Message, @MessageActor() actor: Actor) {
    return this.__domain__.move(dto, actor);
  }
}
