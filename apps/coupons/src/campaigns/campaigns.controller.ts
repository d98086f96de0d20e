import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, CampaignQueryDto, CampaignView, COUPONS, CreateCampaignDto, IdDto, Page } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { CampaignsService } from './campaigns.service';

@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Command(COUPONS.createCampaign)
  create(@Data() dto: CreateCampaignDto, @MessageActor() actor: Actor): Promise<CampaignView> {
    return this.campaigns.create(dto, actor);
  }

  @MessagePattern(COUPONS.getCampaign)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<CampaignView> {
    return this.campaigns.get(dto.id, actor);
  }

  @MessagePattern(COUPONS.listCampaigns)
  list(@Data() dto: CampaignQueryDto, @MessageActor() actor: Actor): Promise<Page<CampaignView>> {
    return this.campaigns.list(dto, actor);
  }
}
