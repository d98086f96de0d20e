import { Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Role } from '@o2o/contracts';
import { Roles } from '../auth/access.decorators';
import { ApiKeysService } from './api-keys.service';

@ApiTags('partners')
@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Roles(Role.Admin)
  @Post('brands/:brandId/api-keys')
  issue(@Param('brandId', ParseUUIDPipe) brandId: string) {
    return this.apiKeys.issue(brandId);
  }

  @Roles(Role.Admin)
  @Delete('api-keys/:id')
  @HttpCode(204)
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
