import { ErrorCode } from '@o2o/contracts';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GatewayClients } from '../core/gateway-clients';
import { ApiKeysService } from './api-keys.service';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const REAL_KEY = 'o2o_real-key';

function serviceWithTable() {
  const rows = [{ id: 'key-1', brandId: 'brand-1', keyHash: sha256(REAL_KEY), revokedAt: null as Date | null }];
  const findOne = jest.fn(async ({ where }: { where: { keyHash: string } }) => {
    await new Promise((r) => setImmediate(r));
    return rows.find((r) => r.keyHash === where.keyHash && r.revokedAt === null) ?? null;
  });
  const update = jest.fn(async ({ id }: { id: string }) => {
    const row = rows.find((r) => r.id === id && r.revokedAt === null);
    if (row) row.revokedAt = new Date();
    return { affected: row ? 1 : 0 };
  });
  const dataSource = { getRepository: () => ({ findOne, update }) } as unknown as DataSource;
  return { service: new ApiKeysService(dataSource, {} as GatewayClients), findOne, rows };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: ErrorCode }) => e.code,
  );

describe('ApiKeysService', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives a made-up key no bucket of its own, and remembers it is invalid instead of asking the database again', async () => {
    const { service, findOne } = serviceWithTable();
    expect(service.bucketOf('o2o_made-up')).toBeUndefined();
    expect(await refusal(service.actorFromKey('o2o_made-up'))).toBe(ErrorCode.Unauthenticated);
    expect(await refusal(service.actorFromKey('o2o_made-up'))).toBe(ErrorCode.Unauthenticated);
    expect(service.bucketOf('o2o_made-up')).toBeUndefined();
    expect(findOne).toHaveBeenCalledTimes(1);
  });

  it('asks once for concurrent requests with the same key', async () => {
    const { service, findOne } = serviceWithTable();
    const answers = await Promise.all(Array.from({ length: 10 }, () => refusal(service.actorFromKey('o2o_burst'))));
    expect(new Set(answers)).toEqual(new Set([ErrorCode.Unauthenticated]));
    expect(findOne).toHaveBeenCalledTimes(1);
  });

  it('buckets a key found valid by its id, and checks it again after a few seconds', async () => {
    const { service, findOne, rows } = serviceWithTable();
    expect(service.bucketOf(REAL_KEY)).toBeUndefined();
    expect(await service.actorFromKey(REAL_KEY)).toEqual({ kind: 'partner', keyId: 'key-1', brandId: 'brand-1' });
    expect(service.bucketOf(REAL_KEY)).toBe('key:key-1');
    await service.actorFromKey(REAL_KEY);
    expect(findOne).toHaveBeenCalledTimes(1);

    rows[0]!.revokedAt = new Date(); // revoked by another gateway
    const later = Date.now() + 6000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(await refusal(service.actorFromKey(REAL_KEY))).toBe(ErrorCode.Unauthenticated);
    expect(service.bucketOf(REAL_KEY)).toBeUndefined();
    expect(findOne).toHaveBeenCalledTimes(2);
  });

  it('stops a key revoked here at once', async () => {
    const { service } = serviceWithTable();
    await service.actorFromKey(REAL_KEY);
    await service.revoke('key-1');
    expect(service.bucketOf(REAL_KEY)).toBeUndefined();
    expect(await refusal(service.actorFromKey(REAL_KEY))).toBe(ErrorCode.Unauthenticated);
  });
});
