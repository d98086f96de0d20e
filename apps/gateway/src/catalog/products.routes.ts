import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CATALOG,
  CreateProductDto,
  IdDto,
  ProductDetailView,
  ProductPageView,
  ProductQueryDto,
  Role,
  SetProductStoresDto,
  UpdateProductDto,
} from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Access, Route } from '../core/route.decorator';

/** Ops manage every product; a partner key its own brand's (the service scopes it; another brand's is 404). */
const PRODUCT_WRITERS: Access = { roles: [Role.Admin, Role.Ops], partner: true };

@ApiTags('catalog')
@Controller()
export class ProductsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'products',
    summary: 'Create a product (a draft) with its SKUs',
    access: PRODUCT_WRITERS,
    idempotent: true,
    response: ProductDetailView,
    errors: [400, 404, 504],
  })
  create(@Body() dto: CreateProductDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.createProduct, dto, req);
  }

  @Route({
    method: 'PATCH',
    path: 'products/:id',
    summary: 'Change a product; given skus, they become exactly those',
    access: PRODUCT_WRITERS,
    response: ProductDetailView,
    errors: [400, 404, 409, 504],
  })
  update(@Param() params: IdDto, @Body() dto: UpdateProductDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.updateProduct, { ...dto, ...params }, req);
  }

  @Route({
    method: 'POST',
    path: 'products/:id/publish',
    summary: 'Publish a product: the public sees it',
    access: PRODUCT_WRITERS,
    status: 200,
    response: ProductDetailView,
    errors: [400, 404, 409, 504],
  })
  publish(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.publishProduct, params, req);
  }

  @Route({
    method: 'POST',
    path: 'products/:id/unpublish',
    summary: 'Take a product off the public catalog',
    access: PRODUCT_WRITERS,
    status: 200,
    response: ProductDetailView,
    errors: [400, 404, 409, 504],
  })
  unpublish(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.unpublishProduct, params, req);
  }

  @Route({
    method: 'PUT',
    path: 'products/:id/stores',
    summary: 'Set the stores where a product is on display (each must have the brand as a tenant)',
    access: PRODUCT_WRITERS,
    response: ProductDetailView,
    errors: [400, 404, 422, 504],
  })
  setStores(@Param() params: IdDto, @Body() dto: SetProductStoresDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.setProductStores, { ...dto, ...params }, req);
  }

  @Route({
    method: 'GET',
    path: 'products',
    summary: 'Search published products; staff and partners may filter by status',
    access: 'public',
    cacheable: true,
    response: ProductPageView,
    errors: [400, 504],
  })
  list(@Query() query: ProductQueryDto, @Req() req: GatewayRequest): Promise<ProductPageView> {
    return this.clients.call('catalog', CATALOG.listProducts, query, req);
  }

  @Route({
    method: 'GET',
    path: 'products/:id',
    summary: 'Read a product with its SKUs and the stores where it is on display',
    access: 'public',
    cacheable: true,
    response: ProductDetailView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<ProductDetailView> {
    return this.clients.call('catalog', CATALOG.getProduct, params, req);
  }
}
