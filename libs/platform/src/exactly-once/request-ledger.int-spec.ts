import { ErrorCode } from '@o2o/contracts';
import { createTestDatabase, TestDatabase } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { PlatformTables1763856000000 } from '../database/platform-tables.migration';
import { RequestLedger1764000000000 } from '../database/request-ledger.migration';
import { DomainError } from '../errors/domain-error';
import { FixtureEffects1764000000001 } from '../transport/streams/testing/effects-table';
import { transactionAwareDataSource } from './command-transaction';
import { RequestLedger } from './request-ledger';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describe('request ledger: exactly-once commands (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let ledger: RequestLedger;

  beforeAll(async () => {
    db = await createTestDatabase([
      { schema: 'ledger_test', migrations: [PlatformTables1763856000000, RequestLedger1764000000000, FixtureEffects1764000000001] },
    ]);
    ds = transactionAwareDataSource(await createDataSource({ url: db.url, schema: 'ledger_test', migrations: [] }).initialize());
    ledger = new RequestLedger(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** A command as a handler would write it: through the service's DataSource, unaware of the ledger. */
  const write = (key: string, then?: () => Promise<void>) => async () => {
    const [row]: { id: string }[] = await ds.query(`INSERT INTO effects (request_key, replica) VALUES ($1, 'test') RETURNING id`, [key]);
    await then?.();
    return { effectId: row.id, at: new Date(0) };
  };
  const effects = async (key: string) => (await ds.query('SELECT id FROM effects WHERE request_key = $1', [key])).map((r: { id: string }) => r.id);
  const command = (requestId: string, data: unknown = { requestId }, deadline?: number) => ({ requestId, pattern: 'fixture.record', data, deadline });

  it('answers a second delivery with the first one’s answer and changes nothing', async () => {
    const first = await ledger.run(command('r1'), write('k1'));
    const second = await ledger.run(command('r1'), write('k1'));
    expect(await effects('k1')).toEqual([first.effectId]);
    // The replay is the answer as it went over the wire (JSON).
    expect(second).toEqual({ effectId: first.effectId, at: new Date(0).toISOString() });
  });

  it('lets exactly one of 20 concurrent deliveries do the work; all answer its result', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.run(
          command('r2'),
          write('k2', () => new Promise((r) => setTimeout(r, 20))),
        ),
      ),
    );
    const rows = await effects('k2');
    expect(rows).toHaveLength(1);
    expect(new Set(answers.map((a) => a.effectId))).toEqual(new Set(rows));
  });

  it('rolls the change back with its claim when the command fails, so a retry runs it', async () => {
    const failing = write('k3', () => Promise.reject(new Error('failed after its write')));
    await expect(ledger.run(command('r3'), failing)).rejects.toThrow('failed after its write');
    expect(await effects('k3')).toEqual([]);
    const retried = await ledger.run(command('r3'), write('k3'));
    expect(await effects('k3')).toEqual([retried.effectId]);
  });

  it('refuses a request id reused for another request', async () => {
    await ledger.run(command('r4', { a: 1 }), write('k4'));
    const reused = await ledger.run(command('r4', { a: 2 }), write('k4')).catch(codeOf);
    expect(reused).toBe(ErrorCode.IdempotencyKeyReused);
    expect(await effects('k4')).toHaveLength(1);
  });

  it('keeps a nested transaction that failed from undoing the rest of the command (a savepoint)', async () => {
    const answer = await ledger.run(command('r5'), async () => {
      await ds.query(`INSERT INTO effects (request_key, replica) VALUES ('k5', 'kept')`);
      await ds
        .transaction(async (m) => {
          await m.query(`INSERT INTO effects (request_key, replica) VALUES ('k5', 'undone')`);
          throw new Error('inner step failed');
        })
        .catch(() => undefined);
      return (await ds.query(`SELECT replica FROM effects WHERE request_key = 'k5'`)).map((r: { replica: string }) => r.replica);
    });
    expect(answer).toEqual(['kept']);
    expect(await ds.query(`SELECT replica FROM effects WHERE request_key = 'k5'`)).toEqual([{ replica: 'kept' }]);
  });

  it('commits nothing past the caller’s deadline, and stops a statement that would run past it', async () => {
    const late = await ledger
      .run(
        command('r6', {}, Date.now() + 100),
        write('k6', () => new Promise((r) => setTimeout(r, 200))),
      )
      .catch(codeOf);
    expect(late).toBe(ErrorCode.ServiceTimeout);
    const stuck = await ledger.run(command('r7', {}, Date.now() + 200), async () => ds.query('SELECT pg_sleep(2)')).catch(codeOf);
    expect(stuck).toBe(ErrorCode.ServiceTimeout);
    expect(await effects('k6')).toEqual([]);
    expect(await ds.query(`SELECT request_id FROM handled_requests WHERE request_id IN ('r6', 'r7')`)).toEqual([]);
  });

  it('joins every query on the DataSource to a transaction begun outside a command, so a repository needs no manager', async () => {
    const failed = await ds
      .transaction(async () => {
        await ds.query(`INSERT INTO effects (request_key, replica) VALUES ('k8', 'in-tx')`);
        throw new Error('second step failed');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('second step failed');
    expect(await effects('k8')).toEqual([]);
    await ds.transaction(async () => ds.query(`INSERT INTO effects (request_key, replica) VALUES ('k8', 'in-tx')`));
    expect(await effects('k8')).toHaveLength(1);
  });

  it('purges records older than the retention and keeps the rest', async () => {
    await ledger.run(command('r-old'), write('k-old'));
    await ds.query(`UPDATE handled_requests SET handled_at = now() - interval '49 hours' WHERE request_id = 'r-old'`);
    expect(await ledger.purge(48)).toBe(1);
    expect(await ds.query(`SELECT request_id FROM handled_requests WHERE request_id IN ('r-old', 'r1')`)).toEqual([{ request_id: 'r1' }]);
  });
});
