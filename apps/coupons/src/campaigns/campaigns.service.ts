import { Injectable } from '@nestjs/common';
import { Actor, CampaignQueryDto, CampaignView, CreateCampaignDto, Page, Role } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, partnerBrand, requireRoles, toPage } from '@o2o/platform';
import { Campaign, campaignView, CampaignsRepository } from './campaigns.repository';
import { visibleTo } from './campaigns.rules';
import { RedeemedCounts } from './redeemed-counts';

const DEFAULT_PER_PHONE_LIMIT = 1;

const unique = (values: string[] | undefined) => [...new Set((values ?? []).map((v) => v.trim()))];

@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly redeemed: RedeemedCounts,
  ) {}

  async create(dto: CreateCampaignDto, actor: Actor): Promise<CampaignView> {
    requireRoles(actor, Role.Ops);
    const id = newId();
    await this.campaigns.insert({
      id,
      name: dto.name.trim(),
      priceFen: dto.priceFen,
      terms: {
        benefit: {
          type: dto.benefit.type,
          value: dto.benefit.value,
          maxDiscountFen: dto.benefit.maxDiscountFen ?? null,
          minSpendFen: dto.benefit.minSpendFen ?? null,
        },
        brandIds: unique(dto.brandIds?.map((b) => b.toLowerCase())),
        categories: unique(dto.categories),
        cities: unique(dto.cities),
      },
      validFrom: new Date(dto.validFrom),
      validTo: new Date(dto.validTo),
      validDaysAfterIssue: dto.validDaysAfterIssue ?? null,
      totalLimit: dto.totalLimit ?? null,
      perPhoneLimit: dto.perPhoneLimit ?? DEFAULT_PER_PHONE_LIMIT,
    });
    return this.get(id, actor);
  }

  /** A partner sees a campaign only when it names the partner's brand; otherwise 404. */
  async get(id: string, actor: Actor): Promise<CampaignView> {
    const campaign = await this.campaigns.findById(id);
    if (!campaign || !visibleTo(actor, campaign.terms.brandIds)) throw notFound('Campaign');
    const [view] = await this.views([campaign]);
    return view!;
  }

  /** Newest first; a partner sees only campaigns that name its brand. */
  async list(query: CampaignQueryDto, actor: Actor): Promise<Page<CampaignView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.campaigns.list({ limit: size + 1, before: decodeIdCursor(query.cursor), namingBrand: partnerBrand(actor) });
    const page = toPage(
      rows,
      size,
      (c) => [c.id],
      (c) => c,
    );
    return { ...page, items: await this.views(page.items) };
  }

  private async views(campaigns: Campaign[]): Promise<CampaignView[]> {
    const redeemed = await this.redeemed.redeemedByCampaign(campaigns.map((c) => c.id));
    return campaigns.map((c) => campaignView(c, redeemed.get(c.id) ?? 0));
  }
}
