import { ErrorCode } from '@o2o/contracts';
import { createTestDatabase, TestDatabase } from '@o2o/testing';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { allowUnknownIdempotencyOutcome, createIdempotencyTable } from '../database/platform-tables';
import { DomainError } from '../errors/domain-error';
import { IdempotencyStore, requestHash } from './idempotency-store';

class IdempotencyTestTables1700000000001 implements MigrationInterface {
  name = 'IdempotencyTestTables1700000000001';
  async up(q: QueryRunner) {
    await createIdempotencyTable(q);
    await allowUnknownIdempotencyOutcome(q);
  }
  async down() {}
}

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describe('IdempotencyStore (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: IdempotencyStore;

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'idem_test', migrations: [IdempotencyTestTables1700000000001] }]);
    ds = await createDataSource({ url: db.url, schema: 'idem_test', migrations: [], poolSize: 12 }).initialize();
    store = new IdempotencyStore(ds, 1000);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('hashes equal JSON equally whatever the key order', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('lets exactly one of ten concurrent duplicates start; the rest see it in flight', async () => {
    const hash = requestHash({ body: 1 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.begin('s', 'k-concurrent', hash).then((r) => r.kind, codeOf)));
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.IdempotencyKeyInFlight)).toHaveLength(9);
  });

  it('replays the stored answer, and refuses the key for another request', async () => {
    const hash = requestHash({ body: 'first' });
    expect((await store.begin('s', 'k-replay', hash)).kind).toBe('started');
    await store.complete('s', 'k-replay', 201, { id: 'abc' });
    expect(await store.begin('s', 'k-replay', hash)).toEqual({ kind: 'replay', status: 201, body: { id: 'abc' } });
    await expect(store.begin('s', 'k-replay', requestHash({ body: 'other' }))).rejects.toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
  });

  it('keeps keys apart by scope', async () => {
    const hash = requestHash({});
    expect((await store.begin('user:a', 'same', hash)).kind).toBe('started');
    expect((await store.begin('user:b', 'same', hash)).kind).toBe('started');
  });

  it('lets a key of unknown outcome run again, once at a time and only for the same request', async () => {
    const hash = requestHash({ x: 1 });
    await store.begin('s', 'k-unknown', hash);
    await store.markUnknown('s', 'k-unknown');
    await expect(store.begin('s', 'k-unknown', requestHash({ x: 2 }))).rejects.toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
    const retries = await Promise.all(Array.from({ length: 5 }, () => store.begin('s', 'k-unknown', hash).then((r) => r.kind, codeOf)));
    expect(retries.filter((r) => r === 'started')).toHaveLength(1);
    expect(retries.filter((r) => r === ErrorCode.IdempotencyKeyInFlight)).toHaveLength(4);
  });

  it('takes over a stale in-flight key', async () => {
    const hash = requestHash({ x: 1 });

    await store.begin('s', 'k-stale', hash);
    await expect(store.begin('s', 'k-stale', hash)).rejects.toMatchObject({ code: ErrorCode.IdempotencyKeyInFlight });
    await new Promise((r) => setTimeout(r, 1100)); // staleAfterMs is 1 s in this test
    expect((await store.begin('s', 'k-stale', hash)).kind).toBe('started');
  });

  it('purges answers older than the retention period and keeps the rest', async () => {
    const hash = requestHash({});
    await store.begin('s', 'k-old', hash);
    await store.complete('s', 'k-old', 201, {});
    await store.begin('s', 'k-new', hash);
    await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-old'`);
    expect(await store.purge(24)).toBe(1);
    const left = await ds.query(`SELECT key FROM idempotency_keys WHERE key IN ('k-old', 'k-new')`);
    expect(left.map((r: { key: string }) => r.key)).toEqual(['k-new']);
  });
});
