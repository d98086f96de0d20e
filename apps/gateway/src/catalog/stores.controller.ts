import { Body, Controller, Get, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BoothView, CATALOG, CreateStoreDto, JoinStoreDto, Page, Role, StoreQueryDto, StoreView, UpdateStoreDto } from '@o2o/contracts';
import { Public, Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { uuidParam } from '../core/uuid-param';

@ApiTags('catalog')
@Controller('stores')
export class StoresController {
  constructor(private readonly clients: GatewayClients) {}

  @Roles(Role.Admin, Role.Ops)
  @Post()
  create(@Body() dto: CreateStoreDto, @Req() req: GatewayRequest) {
    return this.clients.call<StoreView>('catalog', CATALOG.createStore, dto, req);
  }

  @Public()
  @Get()
  list(@Query() query: StoreQueryDto, @Req() req: GatewayRequest) {
    return this.clients.call<Page<StoreView>>('catalog', CATALOG.listStores, query, req);
  }

  @Public()
  @Get(':id')
  get(@Param('id', uuidParam('id')) id: string, @Req() req: GatewayRequest) {
    return this.clients.call<StoreView>('catalog', CATALOG.getStore, { id }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @Patch(':id')
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateStoreDto, @Req() req: GatewayRequest) {
    return this.clients.call<StoreView>('catalog', CATALOG.updateStore, { ...dto, id }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @Put(':storeId/brands/:brandId')
  join(
    @Param('storeId', uuidParam('storeId')) storeId: string,
    @Param('brandId', uuidParam('brandId')) brandId: string,
    @Body() dto: JoinStoreDto,
    @Req() req: GatewayRequest,
  ) {
    return this.clients.call<BoothView>('catalog', CATALOG.joinStore, { ...dto, storeId, brandId }, req);
  }
}
