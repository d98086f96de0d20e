import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, BoothView, CATALOG, CreateStoreDto, IdDto, JoinStoreMessage, Page, StoreQueryDto, StoreView, UpdateStoreMessage } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { StoresService } from './stores.service';

@Controller()
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Command(CATALOG.createStore)
  create(@Data() dto: CreateStoreDto, @MessageActor() actor: Actor): Promise<StoreView> {
    return this.stores.create(dto, actor);
  }

  @Command(CATALOG.updateStore)
  update(@Data() dto: UpdateStoreMessage, @MessageActor() actor: Actor): Promise<StoreView> {
    return this.stores.update(dto, actor);
  }

  @MessagePattern(CATALOG.getStore)
  get(@Data() { id }: IdDto): Promise<StoreView> {
    return this.stores.get(id);
  }

  @MessagePattern(CATALOG.listStores)
  list(@Data() query: StoreQueryDto): Promise<Page<StoreView>> {
    return this.stores.list(query);
  }

  @Command(CATALOG.joinStore)
  join(@Data() dto: JoinStoreMessage, @MessageActor() actor: Actor): Promise<BoothView> {
    return this.stores.join(dto, actor);
  }
}
