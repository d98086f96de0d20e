export * from './patterns';
export * from './touchpoint.dto';
export * from './funnel.dto';
export * from './commission.dto';
export * from './attribution.dto';
