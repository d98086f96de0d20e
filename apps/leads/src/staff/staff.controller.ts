import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, CreateStaffMessage, IdDto, LEADS, Page, StaffQueryDto, StaffView, UpdateStaffMessage } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { StaffService } from './staff.service';

@Controller()
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Command(LEADS.createStaff)
  create(@Data() dto: CreateStaffMessage, @MessageActor() actor: Actor): Promise<StaffView> {
    return this.staff.create(dto, actor);
  }

  @Command(LEADS.updateStaff)
  update(@Data() dto: UpdateStaffMessage, @MessageActor() actor: Actor): Promise<StaffView> {
    return this.staff.update(dto, actor);
  }

  @MessagePattern(LEADS.getStaff)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<StaffView> {
    return this.staff.get(dto.id, actor);
  }

  @MessagePattern(LEADS.listStaff)
  list(@Data() dto: StaffQueryDto, @MessageActor() actor: Actor): Promise<Page<StaffView>> {
    return this.staff.list(dto, actor);
  }
}
