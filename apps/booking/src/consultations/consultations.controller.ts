import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, BOOKING, IdDto, RecordConsultationDto } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { ConsultationsService } from './consultations.service';

@Controller()
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Command(BOOKING.recordConsultation)
  record(@Data() dto: RecordConsultationDto, @MessageActor() actor: Actor) {
    return this.consultations.record(dto, actor);
  }

  @MessagePattern(BOOKING.getConsultation)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor) {
    return this.consultations.get(dto.id, actor);
  }
}
