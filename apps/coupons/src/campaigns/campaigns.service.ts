import { Injectable } from '@nestjs/common';
import { Actor, BenefitType, CampaignView, CreateCampaignDto, ListCampaignsDto, Page, Role } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, newId, notFound, requireRoles, toPage } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { PARTNER_SCOPE_SQL, visibleToActor } from '../access';
import { benefitView } from './benefit';
import { CampaignEntity } from './campaign.entity';

/** A campaign's terms as stored; cards read the same columns through their campaign. */
export interface CampaignTermsColumns {
  benefit_type: BenefitType;
  benefit_value: number;
  max_discount_fen: number | null;
  min_spend_fen: number | null;
  brand_ids: string[];
  categories: string[];
  cities: string[];
}

interface CampaignRow extends CampaignTermsColumns {
  id: string;
  name: string;
  price_fen: number;
  valid_from: Date;
  valid_to: Date;
  valid_days_after_issue: number | null;
  total_limit: number | null;
  per_phone_limit: number;
  issued: number;
  redeemed: number;
  created_at: Date;
}

// Redeemed is counted, not kept: a counter on the campaign row would make every redemption of
// every card queue behind one row lock.
const SELECT_CAMPAIGN = `
  SELECT c.*, (SELECT count(*)::int FROM cards k WHERE k.campaign_id = c.id AND k.status = 'redeemed') AS redeemed
    FROM campaigns c`;

const DEFAULT_PER_PHONE_LIMIT = 1;

const unique = (values: string[] | undefined) => [...new Set((values ?? []).map((v) => v.trim()))];

@Injectable()
export class CampaignsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateCampaignDto, actor: Actor): Promise<CampaignView> {
    requireRoles(actor, Role.Ops);
    const id = newId();
    await this.dataSource.getRepository(CampaignEntity).insert({
      id,
      name: dto.name.trim(),
      priceFen: dto.priceFen,
      benefitType: dto.benefit.type,
      benefitValue: dto.benefit.value,
      maxDiscountFen: dto.benefit.maxDiscountFen ?? null,
      minSpendFen: dto.benefit.minSpendFen ?? null,
      brandIds: unique(dto.brandIds).map((b) => b.toLowerCase()),
      categories: unique(dto.categories),
      cities: unique(dto.cities),
      validFrom: new Date(dto.validFrom),
      validTo: new Date(dto.validTo),
      validDaysAfterIssue: dto.validDaysAfterIssue ?? null,
      totalLimit: dto.totalLimit ?? null,
      perPhoneLimit: dto.perPhoneLimit ?? DEFAULT_PER_PHONE_LIMIT,
      issued: 0,
      createdAt: new Date(),
    });
    return this.get(id, actor);
  }

  async get(id: string, actor: Actor): Promise<CampaignView> {
    const [row]: CampaignRow[] = await this.dataSource.query(`${SELECT_CAMPAIGN} WHERE c.id = $1`, [id]);
    if (!row || !visibleToActor(actor, row.brand_ids)) throw notFound('Campaign');
    return campaignView(row);
  }

  /** Newest first; a partner sees only campaigns that include its brand. */
  async list(query: ListCampaignsDto, actor: Actor): Promise<Page<CampaignView>> {
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeIdCursor(query.cursor);
    const params: unknown[] = [size + 1];
    const where: string[] = [];
    if (after) where.push(`c.id < $${params.push(after)}`);
    if (actor.kind === 'partner') where.push(PARTNER_SCOPE_SQL(params.push(actor.brandId)));
    const rows: CampaignRow[] = await this.dataSource.query(
      `${SELECT_CAMPAIGN} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT $1`,
      params,
    );
    return toPage(rows, size, (r) => [r.id], campaignView);
  }
}

function campaignView(r: CampaignRow): CampaignView {
  return {
    id: r.id,
    name: r.name,
    priceFen: r.price_fen,
    benefit: benefitView({ type: r.benefit_type, value: r.benefit_value, maxDiscountFen: r.max_discount_fen, minSpendFen: r.min_spend_fen }),
    brandIds: r.brand_ids,
    categories: r.categories,
    cities: r.cities,
    validFrom: r.valid_from.toISOString(),
    validTo: r.valid_to.toISOString(),
    validDaysAfterIssue: r.valid_days_after_issue,
    totalLimit: r.total_limit,
    perPhoneLimit: r.per_phone_limit,
    issued: r.issued,
    redeemed: r.redeemed,
    remaining: r.total_limit === null ? null : Math.max(0, r.total_limit - r.issued),
    createdAt: r.created_at.toISOString(),
  };
}
