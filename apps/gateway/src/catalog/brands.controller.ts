import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BrandView, CATALOG, CreateBrandDto, Page, PageQueryDto, Role } from '@o2o/contracts';
import { Public, Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { uuidParam } from '../core/uuid-param';

@ApiTags('catalog')
@Controller('brands')
export class BrandsController {
  constructor(private readonly clients: GatewayClients) {}

  @Roles(Role.Admin, Role.Ops)
  @Post()
  create(@Body() dto: CreateBrandDto, @Req() req: GatewayRequest) {
    return this.clients.call<BrandView>('catalog', CATALOG.createBrand, dto, req);
  }

  @Public()
  @Get()
  list(@Query() query: PageQueryDto, @Req() req: GatewayRequest) {
    return this.clients.call<Page<BrandView>>('catalog', CATALOG.listBrands, query, req);
  }

  @Public()
  @Get(':id')
  get(@Param('id', uuidParam('id')) id: string, @Req() req: GatewayRequest) {
    return this.clients.call<BrandView>('catalog', CATALOG.getBrand, { id }, req);
  }
}
