import { ValidationError } from '@nestjs/common';
import { FieldError } from '@o2o/contracts';
import { badInput, DomainError } from './domain-error';

/** Flattens class-validator's nested errors into [{ field: 'customer.phone', message }]. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The ValidationPipe exception factory shared by the gateway and the services. */
export function validationErrorFactory(errors: ValidationError[]): DomainError {
  const fields = flattenValidationErrors(errors);
  return badInput(fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'Invalid input', fields);
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validateCustomDecorators: true,
  exceptionFactory: validationErrorFactory,
} as const;
