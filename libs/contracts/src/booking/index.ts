export * from './patterns';
export * from './reasons';
export * from './events';
export * from './consultation.dto';
export * from './booking.dto';
export * from './slot.dto';
export * from './deal.dto';
