import type { StoreView } from './store.dto';

/** Payloads of the catalog's events; other services keep their own copies from them. */
export type StoreEventData = Omit<StoreView, 'createdAt' | 'updatedAt'>;
export interface BrandCreatedData {
  id: string;
  name: string;
  categories: string[];
}
export interface BrandJoinedStoreData {
  storeId: string;
  brandId: string;
  booth: string | null;
  city: string;
}
export interface ProductPublishedData {
  id: string;
  brandId: string;
  name: string;
  category: string;
  fromPriceFen: number;
}
export interface ProductUnpublishedData {
  id: string;
  brandId: string;
}
