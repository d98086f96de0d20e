export * from './services';
export * from './enums';
export * from './errors';
export * from './envelope';
export * from './patterns';
export * from './events';
export * from './validation';
export * from './dto/health.dto';
