import { Injectable } from '@nestjs/common';
import { CardExpiredEvent, EVENTS } from '@o2o/contracts';
import { writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { cardEventFacts, CardsRepository } from './cards.repository';

/** Marks active cards past their validity as expired, in batches, each with its card.expired event. */
@Injectable()
export class CardExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: CardsRepository,
  ) {}

  async sweep(batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async () => {
        const expired = await this.cards.expireDue(batch);
        for (const card of expired) {
          const event: CardExpiredEvent = { ...cardEventFacts(card), validTo: card.validTo.toISOString(), expiredAt: card.expiredAt.toISOString() };
          await writeEvent(this.dataSource.manager, EVENTS.cardExpired, event);
        }
        return expired.length;
      });
      total += n;
      if (n < batch) return total;
    }
  }
}
