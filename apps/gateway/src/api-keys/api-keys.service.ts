import { Injectable } from '@nestjs/common';
import { Actor, CATALOG, ErrorCode } from '@o2o/contracts';
import { DomainError, newId, notFound } from '@o2o/platform';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { ApiKeyEntity } from './api-key.entity';

type PartnerActor = Extract<Actor, { kind: 'partner' }>;

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

/** A key found valid is asked again after this long, so a key revoked on another gateway stops working within it. */
const RECHECK_VALID_MS = 5000;
/** A key found invalid is not asked again for this long: repeating a made-up key costs no query. */
const REMEMBER_INVALID_MS = 60_000;
const MAX_REMEMBERED_INVALID = 10_000;

@Injectable()
export class ApiKeysService {
  /** By key hash. Only real keys land here, so its size is bounded by the keys issued. */
  private readonly valid = new Map<string, { actor: PartnerActor; checkedAt: number }>();
  private readonly invalid = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<PartnerActor | null>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: GatewayClients,
  ) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /** Issues a key for a brand. The key itself is returned once and never stored. */
  async issue(brandId: string, req: GatewayRequest): Promise<{ id: string; key: string; brandId: string }> {
    await this.clients.call('catalog', CATALOG.getBrand, { id: brandId }, req); // 404 for an unknown brand
    const key = `o2o_${randomBytes(24).toString('base64url')}`;
    const [id, keyHash] = [newId(), sha256(key)];
    await this.keys.insert({ id, brandId, keyHash, keyPrefix: key.slice(0, 8) });
    this.valid.set(keyHash, { actor: { kind: 'partner', keyId: id, brandId }, checkedAt: Date.now() });
    return { id, key, brandId };
  }

  async revoke(id: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw notFound('API key');
    for (const [hash, entry] of this.valid) if (entry.actor.keyId === id) this.valid.delete(hash);
  }

  /**
   * The rate-limit bucket of a key this gateway has found valid, without a query; undefined for
   * any other key, which then counts against the caller's address. Otherwise every made-up key
   * would get a fresh bucket of its own.
   */
  bucketOf(key: string): string | undefined {
    const entry = this.valid.get(sha256(key));
    return entry && `key:${entry.actor.keyId}`;
  }

  /** The partner actor an X-Api-Key stands for, or an Unauthenticated error. */
  async actorFromKey(key: string): Promise<Actor> {
    const actor = await this.lookUp(sha256(key));
    if (!actor) throw new DomainError(ErrorCode.Unauthenticated, 'The API key is invalid or revoked');
    return actor;
  }

  private lookUp(hash: string): Promise<PartnerActor | null> {
    const now = Date.now();
    const known = this.valid.get(hash);
    if (known && now - known.checkedAt < RECHECK_VALID_MS) return Promise.resolve(known.actor);
    if ((this.invalid.get(hash) ?? 0) > now) return Promise.resolve(null);
    // Concurrent requests with the same key share one query.
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.query(hash).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    return pending;
  }

  private async query(hash: string): Promise<PartnerActor | null> {
    const found = await this.keys.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (found) {
      const actor: PartnerActor = { kind: 'partner', keyId: found.id, brandId: found.brandId };
      this.valid.set(hash, { actor, checkedAt: Date.now() });
      return actor;
    }
    this.valid.delete(hash);
    if (this.invalid.size >= MAX_REMEMBERED_INVALID) this.invalid.clear();
    this.invalid.set(hash, Date.now() + REMEMBER_INVALID_MS);
    return null;
  }
}
