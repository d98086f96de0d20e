import { ErrorCode } from '@o2o/contracts';
import { httpStatusFor, titleFor } from './http-status';

describe('httpStatusFor', () => {
  it('gives every error code a status and a title', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
      expect(titleFor(code)).toBeTruthy();
    }
  });

  it('follows the public contract', () => {
    expect(httpStatusFor(ErrorCode.BadInput)).toBe(400);
    expect(httpStatusFor(ErrorCode.Conflict)).toBe(409);
    expect(httpStatusFor(ErrorCode.IdempotencyKeyInFlight)).toBe(409);
    expect(httpStatusFor(ErrorCode.IdempotencyKeyReused)).toBe(422);
    expect(httpStatusFor(ErrorCode.RuleBroken)).toBe(422);
    expect(httpStatusFor(ErrorCode.ServiceUnavailable)).toBe(503);
    expect(httpStatusFor(ErrorCode.ServiceTimeout)).toBe(504);
  });
});
