import { CardStatus, COUPONS, ErrorCode, EVENTS, RedeemCardMessage, RedemptionRefusal, RedemptionView, ReversalView } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { eventually } from '@o2o/testing';
import { admin, BRAND, buyActiveCard, campaignBody, Harness, outboxCount, settle, startHarness, STORE } from '../../test/harness';

const redeemBody = (cardNo: string, dealId = newId()): RedeemCardMessage => ({ cardNo, dealId, storeId: STORE, brandId: BRAND, amountFen: 700_000 });

const abandoned = { code: ErrorCode.Conflict, reason: RedemptionRefusal.DealAbandoned };

/** The deal saga's compensation: booking reverses a deal whose redeem it gave up on, maybe before coupons saw it. */
describe('reversing a deal before its redemption (real Postgres and Redis)', () => {
  let h: Harness;
  let campaignId: string;

  beforeAll(async () => {
    h = await startHarness({ serve: true });
    campaignId = (await h.campaigns.create(campaignBody(), admin)).id;
  });
  afterAll(async () => {
    await h.close();
  });

  const redeemCommand = (body: RedeemCardMessage) => h.call<RedemptionView>(COUPONS.redeemCard, body, { requestId: `deal:${body.dealId}:redeem` });
  const reverseCommand = (dealId: string, attempt = 1) =>
    h.call<ReversalView>(COUPONS.reverseRedemption, { dealId, reason: 'booking gave up' }, { requestId: `deal:${dealId}:reverse:${attempt}` });

  const cardStatus = async (cardNo: string) => (await h.cards.get(cardNo, admin)).status;
  const dealRows = (dealId: string): Promise<{ card_id: string | null; reversed_at: Date | null; reverse_reason: string | null }[]> =>
    h.ds.query('SELECT card_id, reversed_at, reverse_reason FROM redemptions WHERE deal_id = $1', [dealId]);
  const eventsOfDeal = async (dealId: string): Promise<number> =>
    (await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'dealId' = $1`, [dealId]))[0].n;
  /** Some statement is waiting on a row or index lock, e.g. an insert on the deal id another transaction holds. */
  const someoneWaits = () =>
    eventually(
      async () => {
        const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return n > 0;
      },
      5000,
      20,
    );

  /** A transaction of the test's own that does work, then stays open until released. */
  function holdOpen(work: () => Promise<unknown>, commit = true) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let done!: () => void;
    const worked = new Promise<void>((r) => (done = r));
    const finished = h.ds.transaction(async () => {
      await work();
      done();
      await released;
      if (!commit) throw new Error('rolled back on purpose');
    });
    return { worked, release, finished: finished.catch((e: Error) => e.message) };
  }

  it('bars an unseen deal: its later redeem is refused with deal_abandoned, and the card stays free for another deal', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const dealId = newId();
    const barred = await reverseCommand(dealId);
    expect(barred).toEqual({ cardNo: null, dealId, status: null, wasRedeemed: false, reversedAt: expect.any(String) });
    expect(await dealRows(dealId)).toEqual([{ card_id: null, reversed_at: expect.any(Date), reverse_reason: 'booking gave up' }]);

    // The card passes every check, so this refusal comes from the tombstone; the card is not changed.
    await expect(redeemCommand(redeemBody(cardNo, dealId))).rejects.toMatchObject(abandoned);
    await expect(h.redemptions.redeem(redeemBody(cardNo, dealId))).rejects.toMatchObject(abandoned);
    expect(await cardStatus(cardNo)).toBe(CardStatus.Active);
    expect(await eventsOfDeal(dealId)).toBe(0);

    await expect(redeemCommand(redeemBody(cardNo))).resolves.toMatchObject({ cardNo });
    expect(await cardStatus(cardNo)).toBe(CardStatus.Redeemed);
    // Even with the card used by another deal, the barred deal hears why it may not redeem.
    await expect(redeemCommand(redeemBody(cardNo, dealId))).rejects.toMatchObject(abandoned);
  });

  it('answers a repeated reverse the same, for a tombstone and for a real reversal', async () => {
    const dealId = newId();
    const first = await reverseCommand(dealId);
    await expect(reverseCommand(dealId, 2)).resolves.toEqual(first);
    await expect(h.redemptions.reverse({ dealId, reason: 'another reason' })).resolves.toEqual(first);
    expect(await dealRows(dealId)).toEqual([expect.objectContaining({ reverse_reason: 'booking gave up' })]);

    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    await redeemCommand(body);
    const undone = await reverseCommand(body.dealId);
    expect(undone).toEqual({ cardNo, dealId: body.dealId, status: CardStatus.Active, wasRedeemed: true, reversedAt: expect.any(String) });
    await expect(reverseCommand(body.dealId, 2)).resolves.toEqual(undone);
    expect(await outboxCount(h.ds, EVENTS.cardReversed, `payload->>'dealId' = $2`, [body.dealId])).toBe(1);
  });

  it('reverses a redeem that commits while the reversal waits on the deal id', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    const redeem = holdOpen(() => h.redemptions.redeem(body));
    await redeem.worked;
    // The reversal sees no redemption yet; its tombstone waits on the uncommitted one's deal id.
    const reversal = h.redemptions.reverse({ dealId: body.dealId });
    await someoneWaits();
    redeem.release();
    await redeem.finished;
    await expect(reversal).resolves.toMatchObject({ cardNo, status: CardStatus.Active, wasRedeemed: true });
    expect(await cardStatus(cardNo)).toBe(CardStatus.Active);
    expect(await dealRows(body.dealId)).toEqual([expect.objectContaining({ card_id: expect.any(String), reversed_at: expect.any(Date) })]);
    expect(await outboxCount(h.ds, EVENTS.cardReversed, `payload->>'dealId' = $2`, [body.dealId])).toBe(1);
  });

  it('writes the tombstone when the redeem it waited on rolls back', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    const redeem = holdOpen(() => h.redemptions.redeem(body), false);
    await redeem.worked;
    const reversal = h.redemptions.reverse({ dealId: body.dealId });
    await someoneWaits();
    redeem.release();
    await expect(redeem.finished).resolves.toBe('rolled back on purpose');
    await expect(reversal).resolves.toMatchObject({ cardNo: null, wasRedeemed: false });
    expect(await cardStatus(cardNo)).toBe(CardStatus.Active);
    await expect(h.redemptions.redeem(body)).rejects.toMatchObject(abandoned);
  });

  it('refuses a redeem whose deal id meets a tombstone committed while it waited, leaving the card active', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    const reversal = holdOpen(() => h.redemptions.reverse({ dealId: body.dealId }));
    await reversal.worked;
    const redeem = settle([h.redemptions.redeem(body)]);
    await someoneWaits();
    reversal.release();
    await reversal.finished;
    expect((await redeem).failed).toEqual([expect.objectContaining(abandoned)]);
    expect(await cardStatus(cardNo)).toBe(CardStatus.Active);
    expect(await eventsOfDeal(body.dealId)).toBe(0);
  });

  it('leaves other cards active when the deal redeems one first while they wait on the deal id', async () => {
    const [first, second, third] = [await buyActiveCard(h, campaignId), await buyActiveCard(h, campaignId), await buyActiveCard(h, campaignId)];
    const body = redeemBody(first);
    const redeem = holdOpen(() => h.redemptions.redeem(body));
    await redeem.worked;
    // Their card changes go through; their redemption rows wait on the uncommitted one's deal id.
    // One is a command; the other runs inside a transaction of its caller's that goes on and commits.
    const insideCallersTransaction = async (): Promise<RedemptionView> => {
      let refusal: unknown;
      await h.ds.transaction(async () => {
        // The caller catches the refusal and goes on; its transaction commits.
        refusal = await h.redemptions.redeem({ ...body, cardNo: third }).then(
          () => undefined,
          (e: unknown) => e,
        );
      });
      throw refusal ?? new Error('redeemed');
    };
    const rivals = settle([redeemCommand({ ...body, cardNo: second }), insideCallersTransaction()]);
    await eventually(
      async () => {
        const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return n >= 2;
      },
      5000,
      20,
    );
    redeem.release();
    await redeem.finished;
    expect((await rivals).failed).toEqual([expect.objectContaining({ code: ErrorCode.Conflict }), expect.objectContaining({ code: ErrorCode.Conflict })]);
    expect(await cardStatus(first)).toBe(CardStatus.Redeemed);
    expect(await cardStatus(second)).toBe(CardStatus.Active);
    expect(await cardStatus(third)).toBe(CardStatus.Active);
    expect(await dealRows(body.dealId)).toEqual([expect.objectContaining({ card_id: expect.any(String), reversed_at: null })]);
    expect(await eventsOfDeal(body.dealId)).toBe(1);
    // Their redeemed_at is as it was: they redeem for other deals like any active card.
    const rows: { redeemed_at: Date | null }[] = await h.ds.query('SELECT redeemed_at FROM cards WHERE card_no = ANY ($1)', [[second, third]]);
    expect(rows).toEqual([{ redeemed_at: null }, { redeemed_at: null }]);
    await expect(redeemCommand(redeemBody(second))).resolves.toMatchObject({ cardNo: second });
    await expect(h.redemptions.redeem(redeemBody(third))).resolves.toMatchObject({ cardNo: third });
  });

  it('writes the event with the redemption: same deal, card, amounts and redeemed_at', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    const view = await redeemCommand(body);
    const [row] = await h.ds.query(
      'SELECT r.redeemed_at, k.redeemed_at AS card_redeemed_at FROM redemptions r JOIN cards k ON k.id = r.card_id WHERE r.deal_id = $1',
      [body.dealId],
    );
    const [event] = await h.ds.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>'dealId' = $2`, [EVENTS.cardRedeemed, body.dealId]);
    expect(row.redeemed_at).toEqual(row.card_redeemed_at);
    expect(event.payload).toMatchObject({
      cardNo,
      dealId: body.dealId,
      storeId: STORE,
      brandId: BRAND.toLowerCase(),
      amountFen: 700_000,
      discountFen: view.discountFen,
      redeemedAt: view.redeemedAt,
    });
    expect(view.redeemedAt).toBe((row.redeemed_at as Date).toISOString());
  });

  describe.each([
    ['as commands over the transport', 'transport'],
    ['in process', 'direct'],
  ] as const)('a redeem racing the reversal of its deal, %s', (_, via) => {
    it('never leaves the deal redeemed, whichever wins', async () => {
      const wins = { redeem: 0, reverse: 0 };
      for (let i = 0; i < 25; i++) {
        const cardNo = await buyActiveCard(h, campaignId);
        const body = redeemBody(cardNo);
        const lag = new Promise((r) => setTimeout(r, i % 4));
        const [redeemed, reversed] = await Promise.allSettled(
          via === 'transport'
            ? [redeemCommand(body), lag.then(() => reverseCommand(body.dealId))]
            : [h.redemptions.redeem(body), lag.then(() => h.redemptions.reverse({ dealId: body.dealId, reason: 'booking gave up' }))],
        );
        if (reversed.status === 'rejected') throw reversed.reason;
        const reversal = reversed.value as ReversalView;

        expect(await cardStatus(cardNo)).toBe(CardStatus.Active);
        const rows = await dealRows(body.dealId);
        expect(rows).toHaveLength(1);
        expect(rows[0].reversed_at).not.toBeNull();
        if (redeemed.status === 'fulfilled') {
          wins.redeem++;
          expect(reversal).toMatchObject({ cardNo, wasRedeemed: true, status: CardStatus.Active });
          expect(await outboxCount(h.ds, EVENTS.cardRedeemed, `payload->>'dealId' = $2`, [body.dealId])).toBe(1);
          expect(await outboxCount(h.ds, EVENTS.cardReversed, `payload->>'dealId' = $2`, [body.dealId])).toBe(1);
        } else {
          wins.reverse++;
          expect(redeemed.reason).toMatchObject(abandoned);
          expect(reversal).toMatchObject({ cardNo: null, wasRedeemed: false, status: null });
          expect(await eventsOfDeal(body.dealId)).toBe(0);
        }
      }
      expect(wins.redeem + wins.reverse).toBe(25);
    });
  });
});
