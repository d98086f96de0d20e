import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, CATALOG, CreateBrandDto, IdDto, PageQueryDto } from '@o2o/contracts';
import { Command, MessageActor, Data } from '@o2o/platform';
import { BrandsService } from './brands.service';

@Controller()
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Command(CATALOG.createBrand)
  create(@Data() dto: CreateBrandDto) {
    return this.brands.create(dto);
  }

  @MessagePattern(CATALOG.getBrand)
  get(@Data() { id }: IdDto, @MessageActor() actor: Actor) {
    return this.brands.get(id, actor);
  }

  @MessagePattern(CATALOG.listBrands)
  list(@Data() query: PageQueryDto) {
    return this.brands.list(query);
  }
}
