import { Actor } from '@o2o/contracts';

/** A campaign limited to brands includes a partner's brand only if it lists it; an unlimited one includes every brand. */
export function campaignIncludesBrand(brandIds: string[], brandId: string): boolean {
  return brandIds.length === 0 || brandIds.includes(brandId);
}

/** Partners see only what concerns their brand; everyone else is not scoped by brand. */
export function visibleToActor(actor: Actor, brandIds: string[]): boolean {
  return actor.kind !== 'partner' || campaignIncludesBrand(brandIds, actor.brandId);
}

/** SQL condition (on campaigns aliased c) that keeps what a partner may see; $n is the brand id. */
export const PARTNER_SCOPE_SQL = (param: number) => `(cardinality(c.brand_ids) = 0 OR $${param}::uuid = ANY (c.brand_ids))`;
