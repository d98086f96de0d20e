import { CreateStoreDto } from '@o2o/contracts';
import { badInput } from '@o2o/platform';
import type { StoreFields } from './stores.repository';

/** What a new store gets for what its body leaves out. */
export const withStoreDefaults = (dto: CreateStoreDto): StoreFields => ({
  name: dto.name,
  city: dto.city,
  district: dto.district ?? null,
  address: dto.address,
  timeZone: dto.timeZone ?? 'Asia/Shanghai',
  opensAt: dto.opensAt ?? '10:00',
  closesAt: dto.closesAt ?? '21:00',
  slotMinutes: dto.slotMinutes ?? 60,
  slotCapacity: dto.slotCapacity ?? 4,
});

/** Opening hours are local HH:MM within one day, so text order is time order. */
export function assertHours(opensAt: string, closesAt: string): void {
  if (opensAt >= closesAt) throw badInput('closesAt must be later than opensAt', [{ field: 'closesAt', message: 'must be later than opensAt' }]);
}
