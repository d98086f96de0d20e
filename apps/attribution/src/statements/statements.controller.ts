import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, ATTRIBUTION, CreateStatementDto, IdDto, StatementView } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { StatementsService } from './statements.service';

@Controller()
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Command(ATTRIBUTION.createStatement)
  create(@Data() dto: CreateStatementDto, @MessageActor() actor: Actor): Promise<StatementView> {
    return this.statements.create(dto, actor);
  }

  @MessagePattern(ATTRIBUTION.getStatement)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<StatementView> {
    return this.statements.get(dto.id, actor);
  }
}
