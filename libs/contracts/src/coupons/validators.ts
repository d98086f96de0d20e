import { ValidateBy, ValidationOptions } from 'class-validator';

/** An ISO instant later than the ISO instant in another property of the same object. */
export function IsAfter(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAfter',
      constraints: [property],
      validator: {
        validate: (value, args) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          // Each side's own format check reports a malformed date; this one only compares.
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const [a, b] = [Date.parse(value), Date.parse(other)];
          return Number.isNaN(a) || Number.isNaN(b) || a > b;
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be after ${property}`,
      },
    },
    options,
  );
}

/** At most `max` when another property of the same object has the given value. */
export function MaxWhen(property: string, equals: string, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxWhen',
      constraints: [property, equals, max],
      validator: {
        validate: (value, args) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          return other !== equals || typeof value !== 'number' || value <= max;
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${max} when ${property} is ${equals}`,
      },
    },
    options,
  );
}
