import { Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Role } from '@o2o/contracts';
import { Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { ApiKeysService } from './api-keys.service';

@ApiTags('partners')
@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Roles(Role.Admin)
  @Idempotent()
  @Post('brands/:brandId/api-keys')
  issue(@Param('brandId', ParseUUIDPipe) brandId: string, @Req() req: GatewayRequest) {
    return this.apiKeys.issue(brandId, req);
  }

  @Roles(Role.Admin)
  @Delete('api-keys/:id')
  @HttpCode(204)
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
