import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BrandPageView, BrandQueryDto, BrandView, CATALOG, CreateBrandDto, IdDto, Role } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

@ApiTags('catalog')
@Controller()
export class BrandsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({ method: 'POST', path: 'brands', summary: 'Add a brand tenant', access: { roles: [Role.Admin, Role.Ops] }, response: BrandView, errors: [400, 504] })
  create(@Body() dto: CreateBrandDto, @Req() req: GatewayRequest): Promise<BrandView> {
    return this.clients.call('catalog', CATALOG.createBrand, dto, req);
  }

  @Route({ method: 'GET', path: 'brands', summary: 'List brands', access: 'public', cacheable: true, response: BrandPageView, errors: [400, 504] })
  list(@Query() query: BrandQueryDto, @Req() req: GatewayRequest): Promise<BrandPageView> {
    return this.clients.call('catalog', CATALOG.listBrands, query, req);
  }

  @Route({ method: 'GET', path: 'brands/:id', summary: 'Read a brand', access: 'public', cacheable: true, response: BrandView, errors: [400, 404, 504] })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<BrandView> {
    return this.clients.call('catalog', CATALOG.getBrand, params, req);
  }
}
