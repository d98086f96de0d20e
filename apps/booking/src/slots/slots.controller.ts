import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { BOOKING, ListSlotsMessage } from '@o2o/contracts';
import { Data } from '@o2o/platform';
import { SlotsService } from './slots.service';

@Controller()
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @MessagePattern(BOOKING.listSlots)
  list(@Data() message: ListSlotsMessage) {
    return this.slots.list(message);
  }
}
