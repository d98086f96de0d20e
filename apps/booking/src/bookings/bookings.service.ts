import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  AppointmentMessage,
  BookingChangeView,
  BookingQueryDto,
  BookingRefusal,
  BookingStatus,
  BookingView,
  CancelBookingMessage,
  CheckInMessage,
  CreateBookingDto,
  ErrorCode,
  EventName,
  EVENTS,
  FieldError,
  maskPhone,
  Page,
  Role,
} from '@o2o/contracts';
import {
  actorRef,
  Clock,
  CLOCK,
  conflict,
  decodeIdCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  forbidden,
  newId,
  notFound,
  toPage,
  writeEvent,
} from '@o2o/platform';
import { DataSource } from 'typeorm';
import { ConsultationsRepository } from '../consultations/consultations.repository';
import { SlotsService } from '../slots/slots.service';
import { StoreFact, StoreFactsRepository } from '../store-facts/store-facts.repository';
import { BOOKING_ACTIONS, BookingAction, canDo } from './booking-states';
import { BookingChangesRepository } from './booking-changes.repository';
import { bookingFacts, BookingRecord, BookingRow, BookingsRepository } from './bookings.repository';
import { actsForStore, bookingReader, inScope, showsBookingPhone, withSourceFor } from './bookings.rules';

const refused = (errors: (FieldError & { reason: BookingRefusal })[]) =>
  new DomainError(
    ErrorCode.RuleBroken,
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors.map(({ field, message }) => ({ field, message })),
    errors[0].reason,
  );

const fullPhoneFor = (actor: Actor, row: BookingRecord) => showsBookingPhone(actor, { storeId: row.store_id, leadOwnerId: row.lead_owner_id });

export function bookingView(row: BookingRecord, fullPhone: boolean, history?: BookingChangeView[]): BookingView {
  return {
    id: row.id,
    status: row.status,
    kind: row.kind,
    city: row.city,
    storeId: row.store_id,
    brandIds: row.brand_ids,
    consultationId: row.consultation_id,
    leadId: row.lead_id,
    customer: { name: row.customer_name, phone: fullPhone ? row.phone : maskPhone(row.phone) },
    preferredAt: row.preferred_at.toISOString(),
    appointmentAt: row.appointment_at && row.appointment_at.toISOString(),
    address: row.address,
    budgetFen: row.budget_fen,
    style: row.style,
    areaSqm: row.area_sqm === null ? null : Number(row.area_sqm),
    source: { channel: row.source_channel, campaign: row.source_campaign, agentId: row.source_agent_id, visitorId: row.source_visitor_id },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(history ? { history } : {}),
  };
}

/** Who may take each action on a booking, beside the staff of its store. */
const ACTING_EVERYWHERE: Record<BookingAction, Role[]> = {
  confirm: [Role.Ops, Role.Agent],
  reschedule: [Role.Ops, Role.Agent],
  cancel: [Role.Ops, Role.Agent],
  checkIn: [Role.Ops],
  noShow: [Role.Ops],
};

const EVENT_OF: Record<BookingAction, EventName> = {
  confirm: EVENTS.bookingConfirmed,
  reschedule: EVENTS.bookingRescheduled,
  cancel: EVENTS.bookingCancelled,
  checkIn: EVENTS.bookingVisited,
  noShow: EVENTS.bookingNoShow,
};

/** Booking orders: validated against booking's copy of the stores, moved by the transition table, each move recorded with its event. */
@Injectable()
export class BookingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bookings: BookingsRepository,
    private readonly changes: BookingChangesRepository,
    private readonly consultations: ConsultationsRepository,
    private readonly stores: StoreFactsRepository,
    private readonly slots: SlotsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(dto: CreateBookingDto, actor: Actor): Promise<BookingView> {
    const brandIds = (dto.brandIds ?? []).map((b) => b.toLowerCase());
    const consultation = dto.consultationId ? await this.consultations.find(dto.consultationId) : undefined;
    await this.checkPlace(dto, brandIds, dto.consultationId !== undefined && !consultation);
    const row = await this.bookings.insert({
      id: newId(),
      kind: dto.kind,
      city: dto.city,
      store_id: dto.storeId?.toLowerCase() ?? null,
      brand_ids: brandIds,
      consultation_id: consultation?.id ?? null,
      customer_name: dto.customer.name,
      phone: dto.customer.phone,
      preferred_at: new Date(dto.preferredAt),
      address: dto.address ?? null,
      budget_fen: dto.budgetFen ?? consultation?.budget_fen ?? null,
      style: dto.style ?? consultation?.style ?? null,
      area_sqm: dto.areaSqm ?? (consultation?.area_sqm == null ? null : Number(consultation.area_sqm)),
      source_channel: dto.source.channel,
      source_campaign: dto.source.campaign ?? null,
      source_agent_id: dto.source.agentId ?? null,
      source_visitor_id: dto.source.visitorId ?? null,
      created_by: actorRef(actor),
    });
    await this.changes.add(row.id, { from: null, to: BookingStatus.Created, by: actorRef(actor), reason: null, appointmentAt: null });
    await writeEvent(this.dataSource.manager, EVENTS.bookingCreated, { ...bookingFacts(row, row.created_at), budgetFen: row.budget_fen });
    // The caller who made it sees what it sent.
    return bookingView({ ...row, lead_owner_id: null }, true);
  }

  /** Every problem with where the booking is, each naming its field. */
  private async checkPlace(dto: CreateBookingDto, brandIds: string[], unknownConsultation: boolean): Promise<void> {
    const errors: (FieldError & { reason: BookingRefusal })[] = [];
    if (unknownConsultation) errors.push({ field: 'consultationId', message: 'no such consultation', reason: BookingRefusal.UnknownConsultation });
    if (dto.storeId) {
      const store = await this.stores.store(dto.storeId.toLowerCase());
      if (!store) errors.push({ field: 'storeId', message: 'no such store', reason: BookingRefusal.UnknownStore });
      else if (store.city !== dto.city)
        errors.push({ field: 'storeId', message: `the store is in ${store.city}, not ${dto.city}`, reason: BookingRefusal.StoreNotInCity });
      else {
        const strangers = await this.stores.notTenantsOf(store.id, brandIds);
        if (strangers.length)
          errors.push({ field: 'brandIds', message: `not tenants of the store: ${strangers.join(', ')}`, reason: BookingRefusal.BrandNotInStore });
      }
    } else {
      const strangers = await this.stores.notInCity(dto.city, brandIds);
      if (strangers.length)
        errors.push({ field: 'brandIds', message: `not tenants of any store in ${dto.city}: ${strangers.join(', ')}`, reason: BookingRefusal.BrandNotInStore });
    }
    if (errors.length) throw refused(errors);
  }

  async get(id: string, actor: Actor): Promise<BookingView> {
    const row = await this.visible(id, actor);
    return withSourceFor(actor, bookingView(row, fullPhoneFor(actor, row), await this.changes.of(row.id)));
  }

  async list(query: BookingQueryDto, actor: Actor): Promise<Page<BookingView>> {
    const scope = bookingReader(actor);
    if (!scope) throw forbidden('Booking orders are read by staff and partners');
    // A store's staff asking for another store get nothing: the filter and their scope both apply.
    if (!scope.all && scope.storeId && query.storeId && query.storeId.toLowerCase() !== scope.storeId) return { items: [], nextCursor: null };
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.bookings.page(
      {
        storeId: (scope.all ? undefined : scope.storeId) ?? query.storeId?.toLowerCase(),
        brandId: scope.all ? undefined : scope.brandId,
        status: query.status,
        from: query.from,
        to: query.to,
      },
      size + 1,
      decodeIdCursor(query.cursor),
    );
    return toPage(
      rows,
      size,
      (r) => [r.id],
      (r) => withSourceFor(actor, bookingView(r, fullPhoneFor(actor, r))),
    );
  }

  async confirm(m: AppointmentMessage, actor: Actor): Promise<BookingView> {
    const row = await this.actionable(m.id, 'confirm', actor);
    const store = await this.storeOf(row);
    const slot = this.slots.locate(store, m.appointmentAt, this.clock.now());
    const moved = await this.move(row, 'confirm', { appointmentAt: slot.start });
    await this.slots.take(store, slot);
    await this.record(row, moved, 'confirm', actor, null, { appointmentAt: slot.start.toISOString() });
    return this.answer(moved.id, actor);
  }

  async reschedule(m: AppointmentMessage, actor: Actor): Promise<BookingView> {
    const row = await this.actionable(m.id, 'reschedule', actor);
    const store = await this.storeOf(row);
    const slot = this.slots.locate(store, m.appointmentAt, this.clock.now());
    const previous = row.appointment_at!;
    if (previous.getTime() === slot.start.getTime()) throw conflict('The booking is already at that time');
    const moved = await this.move(row, 'reschedule', { appointmentAt: slot.start });
    // Slot rows are locked in time order, so two reschedules swapping slots cannot deadlock.
    if (slot.start < previous) {
      await this.slots.take(store, slot);
      await this.slots.release(store.id, previous);
    } else {
      await this.slots.release(store.id, previous);
      await this.slots.take(store, slot);
    }
    await this.record(row, moved, 'reschedule', actor, null, { appointmentAt: slot.start.toISOString(), previousAppointmentAt: previous.toISOString() });
    return this.answer(moved.id, actor);
  }

  async cancel(m: CancelBookingMessage, actor: Actor): Promise<BookingView> {
    const row = await this.actionable(m.id, 'cancel', actor);
    const moved = await this.move(row, 'cancel', {});
    // A cancelled appointment frees its place.
    if (row.status === BookingStatus.Confirmed && row.store_id && row.appointment_at) await this.slots.release(row.store_id, row.appointment_at);
    await this.record(row, moved, 'cancel', actor, m.reason, { reason: m.reason });
    return this.answer(moved.id, actor);
  }

  async checkIn(m: CheckInMessage, actor: Actor): Promise<BookingView> {
    const row = await this.actionable(m.id, 'checkIn', actor);
    if (row.store_id !== m.storeId.toLowerCase()) {
      throw new DomainError(
        ErrorCode.RuleBroken,
        'The customer is booked at another store',
        [{ field: 'storeId', message: "must be the booking's store" }],
        BookingRefusal.BookingNotAtStore,
      );
    }
    const moved = await this.move(row, 'checkIn', {});
    await this.record(row, moved, 'checkIn', actor, null, { visitedAt: moved.updated_at.toISOString() });
    return this.answer(moved.id, actor);
  }

  async noShow(id: string, actor: Actor): Promise<BookingView> {
    const row = await this.actionable(id, 'noShow', actor);
    const moved = await this.move(row, 'noShow', {});
    await this.record(row, moved, 'noShow', actor, null, { appointmentAt: row.appointment_at?.toISOString() ?? null });
    return this.answer(moved.id, actor);
  }

  /** A booking the caller reaches; any other is answered as missing (404). */
  async visible(id: string, actor: Actor): Promise<BookingRecord> {
    const scope = bookingReader(actor);
    if (!scope) throw forbidden('Booking orders are read by staff and partners');
    const row = await this.bookings.find(id);
    if (!row || !inScope(scope, { storeId: row.store_id, brandIds: row.brand_ids })) throw notFound('Booking');
    return row;
  }

  /** A booking the caller may take this action on, in a status the action starts from. */
  private async actionable(id: string, action: BookingAction, actor: Actor): Promise<BookingRecord> {
    const row = await this.visible(id, actor);
    if (!actsForStore(actor, row.store_id, ACTING_EVERYWHERE[action]))
      throw forbidden(`This booking's store staff or ${ACTING_EVERYWHERE[action].join(', ')} may do this`);
    if (!canDo(action, row.status)) throw conflict(`A ${row.status} booking cannot take the action ${action}`);
    return row;
  }

  private async storeOf(row: BookingRow): Promise<StoreFact> {
    if (!row.store_id) {
      throw new DomainError(
        ErrorCode.RuleBroken,
        'The booking has no store yet',
        [{ field: 'storeId', message: 'no store chosen yet' }],
        BookingRefusal.NoStore,
      );
    }
    const store = await this.stores.store(row.store_id);
    if (!store) throw new DomainError(ErrorCode.RuleBroken, 'The store is not known', undefined, BookingRefusal.UnknownStore);
    return store;
  }

  /** The conditional update; losing a race to another change is a conflict. */
  private async move(row: BookingRow, action: BookingAction, set: { appointmentAt?: Date }): Promise<BookingRow> {
    const { from, to } = BOOKING_ACTIONS[action];
    const moved = await this.bookings.move(row.id, { from, to, seenAppointment: row.appointment_at, appointmentAt: set.appointmentAt });
    if (!moved) throw conflict(`The booking changed meanwhile; ${action} no longer applies`);
    return moved;
  }

  private async record(before: BookingRow, after: BookingRow, action: BookingAction, actor: Actor, reason: string | null, extra: object): Promise<void> {
    await this.changes.add(after.id, { from: before.status, to: after.status, by: actorRef(actor), reason, appointmentAt: after.appointment_at });
    await writeEvent(this.dataSource.manager, EVENT_OF[action], { ...bookingFacts(after, after.updated_at), ...extra });
  }

  private async answer(id: string, actor: Actor): Promise<BookingView> {
    const row = (await this.bookings.find(id))!;
    return withSourceFor(actor, bookingView(row, fullPhoneFor(actor, row)));
  }
}
