import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  Actor,
  CATALOG,
  CreateProductDto,
  IdDto,
  Page,
  ProductDetailView,
  ProductQueryDto,
  ProductStatus,
  ProductView,
  SetProductStoresMessage,
  UpdateProductMessage,
} from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { ProductsService } from './products.service';

@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Command(CATALOG.createProduct)
  create(@Data() dto: CreateProductDto, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.create(dto, actor);
  }

  @Command(CATALOG.updateProduct)
  update(@Data() dto: UpdateProductMessage, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.update(dto, actor);
  }

  @Command(CATALOG.publishProduct)
  publish(@Data() { id }: IdDto, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.setStatus(id, ProductStatus.Published, actor);
  }

  @Command(CATALOG.unpublishProduct)
  unpublish(@Data() { id }: IdDto, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.setStatus(id, ProductStatus.Draft, actor);
  }

  @Command(CATALOG.setProductStores)
  setStores(@Data() dto: SetProductStoresMessage, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.setStores(dto, actor);
  }

  @MessagePattern(CATALOG.getProduct)
  get(@Data() { id }: IdDto, @MessageActor() actor: Actor): Promise<ProductDetailView> {
    return this.products.get(id, actor);
  }

  @MessagePattern(CATALOG.listProducts)
  list(@Data() query: ProductQueryDto, @MessageActor() actor: Actor): Promise<Page<ProductView>> {
    return this.products.list(query, actor);
  }
}
