import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, CampaignIdDto, CampaignView, COUPONS, CreateCampaignDto, ListCampaignsDto, Page } from '@o2o/contracts';
import { Command, CurrentActor, Data } from '@o2o/platform';
import { CampaignsService } from './campaigns.service';

@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Command(COUPONS.createCampaign)
  create(@Data() dto: CreateCampaignDto, @CurrentActor() actor: Actor): Promise<CampaignView> {
    return this.campaigns.create(dto, actor);
  }

  @MessagePattern(COUPONS.getCampaign)
  get(@Data() dto: CampaignIdDto, @CurrentActor() actor: Actor): Promise<CampaignView> {
    return this.campaigns.get(dto.id, actor);
  }

  @MessagePattern(COUPONS.listCampaigns)
  list(@Data() dto: ListCampaignsDto, @CurrentActor() actor: Actor): Promise<Page<CampaignView>> {
    return this.campaigns.list(dto, actor);
  }
}
