export * from './patterns';
export * from './__thing__.dto';
