import { registerDecorator, ValidationOptions } from 'class-validator';

/** An IANA time zone name the runtime knows, e.g. Asia/Shanghai. */
export function IsIanaTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Asia/Shanghai`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !value.includes('/')) return value === 'UTC';
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}
