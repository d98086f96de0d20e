import { ErrorCode } from '@o2o/contracts';
import { decodeCursor, decodeIdCursor, encodeCursor, toPage } from './pagination';

describe('keyset pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor(['2026-11-23T00:00:00.000Z', 'abc']))).toEqual(['2026-11-23T00:00:00.000Z', 'abc']);
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: ErrorCode.BadInput }));
  });

  it('refuses an id cursor that does not carry a uuid', () => {
    const id = '0190f1c2-0000-7000-8000-000000000001';
    expect(decodeIdCursor(encodeCursor([id]))).toBe(id);
    expect(decodeIdCursor(undefined)).toBeUndefined();
    for (const key of [['nope'], [1], [id, id], []]) {
      expect(() => decodeIdCursor(encodeCursor(key))).toThrow(expect.objectContaining({ code: ErrorCode.BadInput }));
    }
  });

  it('gives a next cursor only when the extra row exists', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const full = toPage(
      rows,
      2,
      (r) => [r.id],
      (r) => r.id,
    );
    expect(full.items).toEqual([1, 2]);
    expect(decodeCursor(full.nextCursor!)).toEqual([2]);
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (r) => [r.id],
        (r) => r.id,
      ).nextCursor,
    ).toBeNull();
  });
});
