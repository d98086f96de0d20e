import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** Mainland China mobile number, as stored: 11 digits, starting with 1. */
export const MAINLAND_MOBILE = /^1\d{10}$/;

/** Strips spaces, dashes and a +86 / 0086 prefix, leaving the bare digits. */
export function normalizePhone(phone: string): string {
  return phone
    .replace(/[\s-]/g, '')
    .replace(/^(\+86|0086)/, '')
    .replace(/\D/g, '');
}

export const isMainlandMobile = (phone: string): boolean => MAINLAND_MOBILE.test(normalizePhone(phone));

/** 13812345678 -> 138****5678. Anything that is not an 11-digit mobile is masked whole. */
export function maskPhone(phone: string): string {
  const digits = normalizePhone(phone);
  return MAINLAND_MOBILE.test(digits) ? `${digits.slice(0, 3)}****${digits.slice(7)}` : '***';
}

/**
 * A mainland mobile number, taken in any usual spelling (+86 138-1234-5678) and handed on
 * normalised (13812345678). The error names the field.
 */
export function IsMainlandMobile(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizePhone(value) : value))(target, propertyName);
    registerDecorator({
      name: 'isMainlandMobile',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a mainland mobile number (11 digits starting with 1)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && MAINLAND_MOBILE.test(value) },
    });
  };
}
