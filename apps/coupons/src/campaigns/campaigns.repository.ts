import { Injectable } from '@nestjs/common';
import { BenefitType, CampaignView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { benefitView, CampaignTerms } from './campaigns.rules';

interface CampaignRow {
  id: string;
  name: string;
  price_fen: number;
  benefit_type: BenefitType;
  benefit_value: number;
  max_discount_fen: number | null;
  min_spend_fen: number | null;
  brand_ids: string[];
  categories: string[];
  cities: string[];
  valid_from: Date;
  valid_to: Date;
  valid_days_after_issue: number | null;
  total_limit: number | null;
  per_phone_limit: number;
  issued: number;
  created_at: Date;
}

/** The campaign columns a card carries; cards read them by joining their campaign. */
export type CampaignTermsRow = Pick<
  CampaignRow,
  'benefit_type' | 'benefit_value' | 'max_discount_fen' | 'min_spend_fen' | 'brand_ids' | 'categories' | 'cities'
>;

/** The terms columns of the campaign joined as `alias`, for a query that reads a card with its terms. */
export const campaignTermsColumns = (alias: string) =>
  ['benefit_type', 'benefit_value', 'max_discount_fen', 'min_spend_fen', 'brand_ids', 'categories', 'cities'].map((c) => `${alias}.${c}`).join(', ');

export const termsOf = (r: CampaignTermsRow): CampaignTerms => ({
  benefit: { type: r.benefit_type, value: r.benefit_value, maxDiscountFen: r.max_discount_fen, minSpendFen: r.min_spend_fen },
  brandIds: r.brand_ids,
  categories: r.categories,
  cities: r.cities,
});

export interface Campaign {
  id: string;
  name: string;
  priceFen: number;
  terms: CampaignTerms;
  validFrom: Date;
  validTo: Date;
  validDaysAfterIssue: number | null;
  totalLimit: number | null;
  perPhoneLimit: number;
  /** Places held: cards paid for or awaiting payment. */
  issued: number;
  createdAt: Date;
}

export type NewCampaign = Omit<Campaign, 'issued' | 'createdAt'>;

/** A campaign as a purchase sees it, with the database's word on whether it sells now. */
export interface CampaignForSale extends Campaign {
  started: boolean;
  open: boolean;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  name: r.name,
  priceFen: r.price_fen,
  terms: termsOf(r),
  validFrom: r.valid_from,
  validTo: r.valid_to,
  validDaysAfterIssue: r.valid_days_after_issue,
  totalLimit: r.total_limit,
  perPhoneLimit: r.per_phone_limit,
  issued: r.issued,
  createdAt: r.created_at,
});

export function campaignView(c: Campaign, redeemed: number): CampaignView {
  return {
    id: c.id,
    name: c.name,
    priceFen: c.priceFen,
    benefit: benefitView(c.terms.benefit),
    brandIds: c.terms.brandIds,
    categories: c.terms.categories,
    cities: c.terms.cities,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    validDaysAfterIssue: c.validDaysAfterIssue,
    totalLimit: c.totalLimit,
    perPhoneLimit: c.perPhoneLimit,
    issued: c.issued,
    redeemed,
    remaining: c.totalLimit === null ? null : Math.max(0, c.totalLimit - c.issued),
    createdAt: c.createdAt.toISOString(),
  };
}

export interface CampaignFilter {
  limit: number;
  /** Ids below this one (newest first). */
  before?: string;
  /** Only campaigns that name this brand. */
  namingBrand?: string;
}

/** The campaigns table. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(c: NewCampaign): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO campaigns (id, name, price_fen, benefit_type, benefit_value, max_discount_fen, min_spend_fen, brand_ids, categories, cities,
                              valid_from, valid_to, valid_days_after_issue, total_limit, per_phone_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        c.id,
        c.name,
        c.priceFen,
        c.terms.benefit.type,
        c.terms.benefit.value,
        c.terms.benefit.maxDiscountFen,
        c.terms.benefit.minSpendFen,
        c.terms.brandIds,
        c.terms.categories,
        c.terms.cities,
        c.validFrom,
        c.validTo,
        c.validDaysAfterIssue,
        c.totalLimit,
        c.perPhoneLimit,
      ],
    );
  }

  async findById(id: string): Promise<Campaign | undefined> {
    const [row] = await this.dataSource.query<CampaignRow[]>('SELECT * FROM campaigns WHERE id = $1', [id]);
    return row && toCampaign(row);
  }

  async list(filter: CampaignFilter): Promise<Campaign[]> {
    const params: unknown[] = [filter.limit];
    const where: string[] = [];
    if (filter.before) where.push(`id < $${params.push(filter.before)}`);
    if (filter.namingBrand) where.push(`$${params.push(filter.namingBrand)}::uuid = ANY (brand_ids)`);
    const rows = await this.dataSource.query<CampaignRow[]>(
      `SELECT * FROM campaigns ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`,
      params,
    );
    return rows.map(toCampaign);
  }

  async findForSale(id: string): Promise<CampaignForSale | undefined> {
    const [row] = await this.dataSource.query<(CampaignRow & { started: boolean; open: boolean })[]>(
      'SELECT *, now() >= valid_from AS started, now() < valid_to AS open FROM campaigns WHERE id = $1',
      [id],
    );
    return row && { ...toCampaign(row), started: row.started, open: row.open };
  }

  /**
   * Takes one place under totalLimit; false when none is left. The conditional UPDATE locks the
   * campaign row until the transaction ends, which serialises purchases in one campaign.
   */
  async takePlace(id: string): Promise<boolean> {
    const taken = await queryRows(
      this.dataSource,
      'UPDATE campaigns SET issued = issued + 1 WHERE id = $1 AND (total_limit IS NULL OR issued < total_limit) RETURNING issued',
      [id],
    );
    return taken.length > 0;
  }

  /** Gives back the place of a card whose payment expired. */
  async givePlaceBack(id: string): Promise<void> {
    await this.dataSource.query('UPDATE campaigns SET issued = issued - 1 WHERE id = $1', [id]);
  }
}
