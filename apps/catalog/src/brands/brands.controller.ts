import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, BrandQueryDto, BrandView, CATALOG, CreateBrandDto, IdDto, Page } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { BrandsService } from './brands.service';

@Controller()
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Command(CATALOG.createBrand)
  create(@Data() dto: CreateBrandDto, @MessageActor() actor: Actor): Promise<BrandView> {
    return this.brands.create(dto, actor);
  }

  @MessagePattern(CATALOG.getBrand)
  get(@Data() { id }: IdDto, @MessageActor() actor: Actor): Promise<BrandView> {
    return this.brands.get(id, actor);
  }

  @MessagePattern(CATALOG.listBrands)
  list(@Data() query: BrandQueryDto): Promise<Page<BrandView>> {
    return this.brands.list(query);
  }
}
