import { Injectable } from '@nestjs/common';
import { Actor, DealQueryDto, DealView, Page } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, forbidden, notFound, toPage } from '@o2o/platform';
import { dealReader, inScope, withSourceFor } from '../bookings/bookings.rules';
import { showsDealPhone } from './deals.rules';
import { DealsRepository, toDealView } from './deals.repository';
import { RefundsRepository, toRefundView } from './refunds.repository';

/** Reading deals: only closed ones, each caller within its scope. */
@Injectable()
export class DealsService {
  constructor(
    private readonly deals: DealsRepository,
    private readonly refunds: RefundsRepository,
  ) {}

  async get(id: string, actor: Actor): Promise<DealView> {
    const scope = dealReader(actor);
    if (!scope) throw forbidden('Deals are read by store staff, ops, admin and partners');
    const row = await this.deals.find(id.toLowerCase());
    if (!row || row.status !== 'closed' || !inScope(scope, { storeId: row.store_id, brandIds: [row.brand_id] })) throw notFound('Deal');
    const refunds = (await this.refunds.ofDeal(row.id)).map(toRefundView);
    return withSourceFor(actor, toDealView(row, showsDealPhone(actor, { storeId: row.store_id, staffId: row.staff_id }), refunds));
  }

  async list(query: DealQueryDto, actor: Actor): Promise<Page<DealView>> {
    const scope = dealReader(actor);
    if (!scope) throw forbidden('Deals are read by store staff, ops, admin and partners');
    const storeId = query.storeId?.toLowerCase();
    const brandId = query.brandId?.toLowerCase();
    if (!scope.all && ((scope.storeId && storeId && storeId !== scope.storeId) || (scope.brandId && brandId && brandId !== scope.brandId))) {
      return { items: [], nextCursor: null };
    }
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.deals.page(
      {
        storeId: (scope.all ? undefined : scope.storeId) ?? storeId,
        brandId: (scope.all ? undefined : scope.brandId) ?? brandId,
        bookingId: query.bookingId?.toLowerCase(),
      },
      size + 1,
      decodeIdCursor(query.cursor),
    );
    return toPage(
      rows,
      size,
      (r) => [r.id],
      (r) => withSourceFor(actor, toDealView(r, showsDealPhone(actor, { storeId: r.store_id, staffId: r.staff_id }))),
    );
  }
}
