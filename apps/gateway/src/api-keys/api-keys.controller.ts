import { Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Role } from '@o2o/contracts';
import { Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { ApiKeysService } from './api-keys.service';
import { uuidParam } from '../core/uuid-param';

@ApiTags('partners')
@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  // Not idempotent on purpose: a replay would have to store the key, which is shown once only.
  @Roles(Role.Admin)
  @Post('brands/:brandId/api-keys')
  issue(@Param('brandId', uuidParam('brandId')) brandId: string, @Req() req: GatewayRequest) {
    return this.apiKeys.issue(brandId, req);
  }

  @Roles(Role.Admin)
  @Delete('api-keys/:id')
  @HttpCode(204)
  revoke(@Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
