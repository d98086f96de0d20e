import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { CATALOG, CreateStoreDto, IdDto, JoinStoreMessage, StoreQueryDto, UpdateStoreMessage } from '@o2o/contracts';
import { Command, Data } from '@o2o/platform';
import { StoresService } from './stores.service';

@Controller()
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Command(CATALOG.createStore)
  create(@Data() dto: CreateStoreDto) {
    return this.stores.create(dto);
  }

  @Command(CATALOG.updateStore)
  update(@Data() dto: UpdateStoreMessage) {
    return this.stores.update(dto);
  }

  @MessagePattern(CATALOG.getStore)
  get(@Data() { id }: IdDto) {
    return this.stores.get(id);
  }

  @MessagePattern(CATALOG.listStores)
  list(@Data() query: StoreQueryDto) {
    return this.stores.list(query);
  }

  @Command(CATALOG.joinStore)
  join(@Data() dto: JoinStoreMessage) {
    return this.stores.join(dto);
  }
}
