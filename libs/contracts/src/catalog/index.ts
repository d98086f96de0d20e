export * from './patterns';
export * from './store.dto';
export * from './brand.dto';
export * from './product.dto';
export * from './events';
