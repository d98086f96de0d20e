import { Controller } from '@nestjs/common';
import { ATTRIBUTION, RecordTouchpointsDto } from '@o2o/contracts';
import { Command, Data } from '@o2o/platform';
import { TouchpointsService } from './touchpoints.service';

@Controller()
export class TouchpointsController {
  constructor(private readonly touchpoints: TouchpointsService) {}

  @Command(ATTRIBUTION.recordTouchpoints)
  record(@Data() dto: RecordTouchpointsDto) {
    return this.touchpoints.record(dto);
  }
}
