export * from './patterns';
export * from './card-number';
export * from './validators';
export * from './campaign.dto';
export * from './card.dto';
export * from './payment.dto';
export * from './events';
