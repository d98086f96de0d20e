import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AppointmentDto,
  BOOKING,
  BookingQueryDto,
  BookingView,
  CancelBookingDto,
  CheckInDto,
  ConsultationView,
  CreateBookingDto,
  IdDto,
  ListSlotsMessage,
  Page,
  RecordConsultationDto,
  Role,
  SlotsQueryDto,
  SlotView,
} from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

const ONLINE_OR_STORE = { roles: [Role.Ops, Role.Agent, Role.StoreStaff, Role.StoreManager] };
const STORE = { roles: [Role.Ops, Role.StoreStaff, Role.StoreManager] };

/** Consultations, booking orders and their lifecycle, and store slots. Each route: one call to booking. */
@ApiTags('bookings')
@Controller()
export class BookingsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'consultations',
    summary: 'Record a consultation (the caller, when signed in, is recorded too)',
    access: 'public',
    idempotent: true,
    response: ConsultationView,
    errors: [400, 504],
  })
  consult(@Body() dto: RecordConsultationDto, @Req() req: GatewayRequest): Promise<ConsultationView> {
    return this.clients.call('booking', BOOKING.recordConsultation, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'consultations/:id',
    summary: 'Read a consultation',
    access: { roles: [Role.Ops, Role.Agent] },
    response: ConsultationView,
    errors: [400, 404, 504],
  })
  consultation(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<ConsultationView> {
    return this.clients.call('booking', BOOKING.getConsultation, params, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings',
    summary: 'Create a booking order: a store visit, or a home measurement (which needs an address); the lead that follows is made asynchronously',
    access: 'public',
    idempotent: true,
    response: BookingView,
    errors: [400, 504],
  })
  create(@Body() dto: CreateBookingDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.createBooking, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'bookings',
    summary: "List booking orders, newest first: online staff all, store staff their store's, a partner those naming its brand",
    access: { roles: [], partner: true },
    response: { page: BookingView },
    errors: [400, 504],
  })
  list(@Query() query: BookingQueryDto, @Req() req: GatewayRequest): Promise<Page<BookingView>> {
    return this.clients.call('booking', BOOKING.listBookings, query, req);
  }

  @Route({
    method: 'GET',
    path: 'bookings/:id',
    summary: 'Read a booking order with its history',
    access: { roles: [], partner: true },
    response: BookingView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.getBooking, params, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings/:id/confirm',
    summary: 'Confirm the appointment: takes a place in the slot starting then; a full slot is 409',
    access: ONLINE_OR_STORE,
    idempotent: true,
    status: 200,
    response: BookingView,
    errors: [400, 404, 504],
  })
  confirm(@Param() params: IdDto, @Body() dto: AppointmentDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.confirmBooking, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings/:id/reschedule',
    summary: 'Move a confirmed appointment to another slot, freeing the old one',
    access: ONLINE_OR_STORE,
    idempotent: true,
    status: 200,
    response: BookingView,
    errors: [400, 404, 504],
  })
  reschedule(@Param() params: IdDto, @Body() dto: AppointmentDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.rescheduleBooking, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings/:id/cancel',
    summary: 'Cancel a booking order, freeing its slot',
    access: ONLINE_OR_STORE,
    idempotent: true,
    status: 200,
    response: BookingView,
    errors: [400, 404, 504],
  })
  cancel(@Param() params: IdDto, @Body() dto: CancelBookingDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.cancelBooking, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings/:id/check-in',
    summary: 'The customer came to the store: a to-store visit',
    access: STORE,
    idempotent: true,
    status: 200,
    response: BookingView,
    errors: [400, 404, 504],
  })
  checkIn(@Param() params: IdDto, @Body() dto: CheckInDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.checkInBooking, { ...dto, id: params.id }, req);
  }

  @Route({
    method: 'POST',
    path: 'bookings/:id/no-show',
    summary: 'The customer did not come',
    access: STORE,
    idempotent: true,
    status: 200,
    response: BookingView,
    errors: [400, 404, 504],
  })
  noShow(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<BookingView> {
    return this.clients.call('booking', BOOKING.markNoShow, params, req);
  }

  @Route({
    method: 'GET',
    path: 'stores/:id/slots',
    summary: "A store's appointment slots on a day of its own time zone, with places taken",
    access: 'public',
    response: { array: SlotView },
    errors: [400, 404, 504],
  })
  slots(@Param() params: IdDto, @Query() query: SlotsQueryDto, @Req() req: GatewayRequest): Promise<SlotView[]> {
    const message: ListSlotsMessage = { storeId: params.id, date: query.date };
    return this.clients.call('booking', BOOKING.listSlots, message, req);
  }
}
