import { ParseUUIDPipe } from '@nestjs/common';
import { badInput } from '@o2o/platform';

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export const uuidParam = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => badInput(`${field} must be a UUID`, [{ field, message: 'must be a UUID' }]) });
