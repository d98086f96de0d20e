import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  BoothView,
  CATALOG,
  CreateStoreDto,
  IdDto,
  JoinStoreDto,
  Role,
  StoreBrandParams,
  StorePageView,
  StoreQueryDto,
  StoreView,
  UpdateStoreDto,
} from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

@ApiTags('catalog')
@Controller()
export class StoresRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({ method: 'POST', path: 'stores', summary: 'Open a store', access: { roles: [Role.Admin, Role.Ops] }, response: StoreView, errors: [400, 504] })
  create(@Body() dto: CreateStoreDto, @Req() req: GatewayRequest): Promise<StoreView> {
    return this.clients.call('catalog', CATALOG.createStore, dto, req);
  }

  @Route({ method: 'GET', path: 'stores', summary: 'List stores, by city', access: 'public', cacheable: true, response: StorePageView, errors: [400, 504] })
  list(@Query() query: StoreQueryDto, @Req() req: GatewayRequest): Promise<StorePageView> {
    return this.clients.call('catalog', CATALOG.listStores, query, req);
  }

  @Route({ method: 'GET', path: 'stores/:id', summary: 'Read a store', access: 'public', cacheable: true, response: StoreView, errors: [400, 404, 504] })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<StoreView> {
    return this.clients.call('catalog', CATALOG.getStore, params, req);
  }

  @Route({
    method: 'PATCH',
    path: 'stores/:id',
    summary: "Change a store's details or opening hours",
    access: { roles: [Role.Admin, Role.Ops] },
    response: StoreView,
    errors: [400, 404, 504],
  })
  update(@Param() params: IdDto, @Body() dto: UpdateStoreDto, @Req() req: GatewayRequest): Promise<StoreView> {
    return this.clients.call('catalog', CATALOG.updateStore, { ...dto, ...params }, req);
  }

  @Route({
    method: 'PUT',
    path: 'stores/:storeId/brands/:brandId',
    summary: 'Make a brand a tenant of a store, at a booth',
    access: { roles: [Role.Admin, Role.Ops] },
    response: BoothView,
    errors: [400, 404, 504],
  })
  join(@Param() params: StoreBrandParams, @Body() dto: JoinStoreDto, @Req() req: GatewayRequest): Promise<BoothView> {
    return this.clients.call('catalog', CATALOG.joinStore, { ...dto, ...params }, req);
  }
}
