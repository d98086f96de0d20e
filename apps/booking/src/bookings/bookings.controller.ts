import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, AppointmentMessage, BOOKING, BookingQueryDto, CancelBookingMessage, CheckInMessage, CreateBookingDto, IdDto } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { BookingsService } from './bookings.service';

/** Thin: validate (the DTOs), one service call. */
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Command(BOOKING.createBooking)
  create(@Data() dto: CreateBookingDto, @MessageActor() actor: Actor) {
    return this.bookings.create(dto, actor);
  }

  @MessagePattern(BOOKING.getBooking)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor) {
    return this.bookings.get(dto.id, actor);
  }

  @MessagePattern(BOOKING.listBookings)
  list(@Data() query: BookingQueryDto, @MessageActor() actor: Actor) {
    return this.bookings.list(query, actor);
  }

  @Command(BOOKING.confirmBooking)
  confirm(@Data() message: AppointmentMessage, @MessageActor() actor: Actor) {
    return this.bookings.confirm(message, actor);
  }

  @Command(BOOKING.rescheduleBooking)
  reschedule(@Data() message: AppointmentMessage, @MessageActor() actor: Actor) {
    return this.bookings.reschedule(message, actor);
  }

  @Command(BOOKING.cancelBooking)
  cancel(@Data() message: CancelBookingMessage, @MessageActor() actor: Actor) {
    return this.bookings.cancel(message, actor);
  }

  @Command(BOOKING.checkInBooking)
  checkIn(@Data() message: CheckInMessage, @MessageActor() actor: Actor) {
    return this.bookings.checkIn(message, actor);
  }

  @Command(BOOKING.markNoShow)
  noShow(@Data() dto: IdDto, @MessageActor() actor: Actor) {
    return this.bookings.noShow(dto.id, actor);
  }
}
