import { Injectable } from '@nestjs/common';
import { Actor, CATALOG, ErrorCode } from '@o2o/contracts';
import { DomainError, newId, notFound } from '@o2o/platform';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { ApiKeyEntity } from './api-key.entity';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

@Injectable()
export class ApiKeysService {
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
    const id = newId();
    await this.keys.insert({ id, brandId, keyHash: sha256(key), keyPrefix: key.slice(0, 8) });
    return { id, key, brandId };
  }

  async revoke(id: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw notFound('API key');
  }

  /** The partner actor an X-Api-Key stands for, or an Unauthenticated error. */
  async actorFromKey(key: string): Promise<Actor> {
    const found = await this.keys.findOne({ where: { keyHash: sha256(key), revokedAt: IsNull() } });
    if (!found) throw new DomainError(ErrorCode.Unauthenticated, 'The API key is invalid or revoked');
    return { kind: 'partner', keyId: found.id, brandId: found.brandId };
  }
}
