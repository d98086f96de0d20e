import { Injectable } from '@nestjs/common';
import { BookingRefusal, ErrorCode, ListSlotsMessage, SlotView } from '@o2o/contracts';
import { badInput, DomainError, notFound } from '@o2o/platform';
import { StoreFact, StoreFactsRepository } from '../store-facts/store-facts.repository';
import { SlotLoadsRepository } from './slot-loads.repository';
import { isCalendarDate, Slot, slotsOf, slotStartingAt } from './slots.rules';

const refused = (message: string, reason: BookingRefusal) => new DomainError(ErrorCode.RuleBroken, message, [{ field: 'appointmentAt', message }], reason);

/** A store's appointment slots: laid out from its hours, filled by confirmed bookings. */
@Injectable()
export class SlotsService {
  constructor(
    private readonly stores: StoreFactsRepository,
    private readonly loads: SlotLoadsRepository,
  ) {}

  async list(message: ListSlotsMessage): Promise<SlotView[]> {
    if (!isCalendarDate(message.date)) throw badInput('date is not a calendar day', [{ field: 'date', message: 'must be a calendar day (YYYY-MM-DD)' }]);
    const store = await this.stores.store(message.storeId);
    if (!store) throw notFound('Store');
    const slots = slotsOf(message.date, store);
    if (slots.length === 0) return [];
    const booked = await this.loads.between(store.id, slots[0].start, slots[slots.length - 1].end);
    return slots.map((s) => ({
      start: s.start.toISOString(),
      end: s.end.toISOString(),
      capacity: store.slotCapacity,
      booked: Math.min(booked.get(s.start.getTime()) ?? 0, store.slotCapacity),
    }));
  }

  /** The slot an appointment asks for: the start of one of the store's future slots. */
  locate(store: StoreFact, appointmentAt: string, now: Date): Slot {
    const found = slotStartingAt(new Date(appointmentAt), store);
    if ('refusal' in found) {
      const message =
        found.refusal === 'outside_opening_hours'
          ? "The appointment is outside the store's opening hours"
          : 'The appointment must start at the start of a slot';
      throw refused(message, found.refusal === 'outside_opening_hours' ? BookingRefusal.OutsideOpeningHours : BookingRefusal.NotOnSlotBoundary);
    }
    if (found.slot.start.getTime() <= now.getTime()) throw refused('The slot has already started', BookingRefusal.SlotInPast);
    return found.slot;
  }

  /** Takes a place in the slot; a full slot is a conflict (409) and changes nothing. */
  async take(store: StoreFact, slot: Slot): Promise<void> {
    if (!(await this.loads.take(store.id, slot.start, store.slotCapacity))) {
      throw new DomainError(ErrorCode.Conflict, 'The slot is full', [{ field: 'appointmentAt', message: 'the slot is full' }], BookingRefusal.SlotFull);
    }
  }

  release(storeId: string, slotStart: Date): Promise<void> {
    return this.loads.release(storeId, slotStart);
  }
}
