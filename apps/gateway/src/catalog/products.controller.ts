import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, CreateProductDto, Page, ProductDetailView, ProductQueryDto, ProductView, Role, SetProductStoresDto, UpdateProductDto } from '@o2o/contracts';
import { PartnerAccess, Public, Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { uuidParam } from '../core/uuid-param';

/** Admin and ops manage every product; a partner key manages its own brand's (the service scopes it). */
@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly clients: GatewayClients) {}

  @Roles(Role.Admin, Role.Ops)
  @PartnerAccess()
  @Idempotent()
  @Post()
  create(@Body() dto: CreateProductDto, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.createProduct, dto, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @PartnerAccess()
  @Patch(':id')
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateProductDto, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.updateProduct, { ...dto, id }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @PartnerAccess()
  @Post(':id/publish')
  @HttpCode(200)
  publish(@Param('id', uuidParam('id')) id: string, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.publishProduct, { id }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @PartnerAccess()
  @Post(':id/unpublish')
  @HttpCode(200)
  unpublish(@Param('id', uuidParam('id')) id: string, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.unpublishProduct, { id }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @PartnerAccess()
  @Put(':id/stores')
  setStores(@Param('id', uuidParam('id')) id: string, @Body() dto: SetProductStoresDto, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.setProductStores, { ...dto, id }, req);
  }

  @Public()
  @Get()
  list(@Query() query: ProductQueryDto, @Req() req: GatewayRequest) {
    return this.clients.call<Page<ProductView>>('catalog', CATALOG.listProducts, query, req);
  }

  @Public()
  @Get(':id')
  get(@Param('id', uuidParam('id')) id: string, @Req() req: GatewayRequest) {
    return this.clients.call<ProductDetailView>('catalog', CATALOG.getProduct, { id }, req);
  }
}
