export * from './patterns';
export * from './staff.dto';
export * from './policy.dto';
export * from './lead.dto';
export * from './webhook.dto';
export * from './events';
