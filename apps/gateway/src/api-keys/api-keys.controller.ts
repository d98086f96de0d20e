import { Controller, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdDto, Role } from '@o2o/contracts';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';
import { BrandKeysParams, IssuedApiKeyView } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('partners')
@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  // Not idempotent on purpose: a replay would have to store the key, which is shown once only.
  @Route({
    method: 'POST',
    path: 'brands/:brandId/api-keys',
    summary: 'Issue a partner API key for a brand',
    access: { roles: [Role.Admin] },
    response: IssuedApiKeyView,
    errors: [400, 404, 504],
  })
  issue(@Param() params: BrandKeysParams, @Req() req: GatewayRequest): Promise<IssuedApiKeyView> {
    return this.apiKeys.issue(params.brandId, req);
  }

  @Route({ method: 'DELETE', path: 'api-keys/:id', summary: 'Revoke a partner API key', access: { roles: [Role.Admin] }, errors: [400, 404] })
  revoke(@Param() params: IdDto): Promise<void> {
    return this.apiKeys.revoke(params.id);
  }
}
