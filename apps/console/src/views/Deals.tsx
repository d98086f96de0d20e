import { MouseEvent, useEffect, useState } from 'react';
import { allPages, ApiError, call, Session } from '../api';
import { Empty, ErrorState, Loading } from '../components/states';
import { useLoad } from '../components/use-load';
import { Dictionary, useLang, useT } from '../i18n';
import { go, ViewProps } from '../routes';
import { hasRole, ROLE } from '../session';
import { Attribution, DealExplain, money, Names, useCommissionWords } from './deals-explain';
import { allStores, catalogNames, staffDirectory, when } from './leads-shared';

interface Deal {
  id: string;
  status: 'closed';
  storeId: string;
  brandId: string;
  staffId: string;
  customerPhone: string;
  customerName?: string | null;
  bookingId?: string | null;
  consultationId?: string | null;
  leadId?: string | null;
  cardNo?: string | null;
  amountFen: number;
  discountFen: number;
  payableFen: number;
  refundedFen: number;
  source?: { channel: string; campaign?: string | null; agentId?: string | null; visitorId?: string | null } | null;
  items: { productId?: string | null; skuCode?: string | null; qty: number; priceFen: number }[];
  closedAt: string;
  refunds?: { id: string; amountFen: number; reason: string; full: boolean; refundedTotalFen: number; cardReversal: string; at: string }[];
}

const words: Dictionary<
  | 'title'
  | 'store'
  | 'brand'
  | 'allStores'
  | 'allBrands'
  | 'closedAt'
  | 'amount'
  | 'discount'
  | 'payable'
  | 'refunded'
  | 'card'
  | 'noCard'
  | 'more'
  | 'loadingMore'
  | 'shown'
  | 'empty'
  | 'emptyFiltered'
  | 'back'
  | 'dealTitle'
  | 'closer'
  | 'customer'
  | 'booking'
  | 'lead'
  | 'source'
  | 'items'
  | 'product'
  | 'sku'
  | 'qty'
  | 'price'
  | 'subtotal'
  | 'noItems'
  | 'refunds'
  | 'refundAt'
  | 'refundAmount'
  | 'refundReason'
  | 'refundFull'
  | 'refundTotal'
  | 'cardReversal'
  | 'noRefunds'
  | 'yes'
  | 'no'
  | 'attribution'
  | 'via'
  | 'channel'
  | 'campaign'
  | 'agent'
  | 'budget'
  | 'ruleVersion'
  | 'commissions'
  | 'party'
  | 'kind'
  | 'person'
  | 'status'
  | 'approveAfter'
  | 'noAttribution'
  | 'attributionPending'
  | 'me'
  | 'none'
  | 'refresh'
  | 'entryAmount'
> = {
  zh: {
    title: '成交',
    store: '门店',
    brand: '品牌',
    allStores: '全部门店',
    allBrands: '全部品牌',
    closedAt: '成交时间',
    amount: '成交额（元）',
    discount: '优惠（元）',
    payable: '应付（元）',
    refunded: '已退款（元）',
    card: '特权卡',
    noCard: '未用卡',
    more: '加载更多',
    loadingMore: '加载中…',
    shown: '已显示 {n} 笔成交',
    empty: '还没有成交：门店在 POST /v1/deals 记录成交后会出现在这里。',
    emptyFiltered: '没有符合筛选条件的成交。可以换一个门店或品牌。',
    back: '← 返回成交列表',
    dealTitle: '成交详情',
    closer: '成交人',
    customer: '客户',
    booking: '预约单',
    lead: '线索',
    source: '来源',
    items: '商品明细',
    product: '商品',
    sku: 'SKU',
    qty: '数量',
    price: '单价（元）',
    subtotal: '小计（元）',
    noItems: '这笔成交没有登记商品明细。',
    refunds: '退款',
    refundAt: '退款时间',
    refundAmount: '退款金额（元）',
    refundReason: '原因',
    refundFull: '是否全额',
    refundTotal: '累计退款（元）',
    cardReversal: '特权卡恢复',
    noRefunds: '没有退款。',
    yes: '是',
    no: '否',
    attribution: '归因与佣金',
    via: '归因方式',
    channel: '渠道',
    campaign: '活动',
    agent: '在线顾问',
    budget: '客户预算（元）',
    ruleVersion: '佣金规则版本',
    commissions: '佣金条目',
    party: '对象',
    kind: '类型',
    person: '人员',
    status: '状态',
    approveAfter: '审批时间',
    noAttribution: '您不能查看这笔成交的归因和佣金：只有运营、管理员、本店店长，以及这笔成交的成交人和记佣的在线顾问可以查看。成交本身的信息见上方。',
    attributionPending: '这笔成交还没有归因结果（归因在成交后异步完成），请稍后刷新。',
    me: '我',
    none: '–',
    refresh: '刷新',
    entryAmount: '金额（元）',
  },
  en: {
    title: 'Deals',
    store: 'Store',
    brand: 'Brand',
    allStores: 'All stores',
    allBrands: 'All brands',
    closedAt: 'Closed',
    amount: 'Amount (yuan)',
    discount: 'Discount (yuan)',
    payable: 'Payable (yuan)',
    refunded: 'Refunded (yuan)',
    card: 'Card',
    noCard: 'no card',
    more: 'Load more',
    loadingMore: 'Loading…',
    shown: '{n} deals shown',
    empty: 'No deals yet: deals appear here once a store records them (POST /v1/deals).',
    emptyFiltered: 'No deals match these filters. Try another store or brand.',
    back: '← Back to the deals',
    dealTitle: 'Deal',
    closer: 'Closer',
    customer: 'Customer',
    booking: 'Booking',
    lead: 'Lead',
    source: 'Source',
    items: 'Items',
    product: 'Product',
    sku: 'SKU',
    qty: 'Qty',
    price: 'Price (yuan)',
    subtotal: 'Subtotal (yuan)',
    noItems: 'No items were recorded for this deal.',
    refunds: 'Refunds',
    refundAt: 'When',
    refundAmount: 'Amount (yuan)',
    refundReason: 'Reason',
    refundFull: 'Full',
    refundTotal: 'Refunded so far (yuan)',
    cardReversal: 'Card reversal',
    noRefunds: 'No refunds.',
    yes: 'yes',
    no: 'no',
    attribution: 'Attribution and commissions',
    via: 'Attributed via',
    channel: 'Channel',
    campaign: 'Campaign',
    agent: 'Online agent',
    budget: 'Customer budget (yuan)',
    ruleVersion: 'Commission rules version',
    commissions: 'Commission entries',
    party: 'Party',
    kind: 'Kind',
    person: 'Person',
    status: 'Status',
    approveAfter: 'Approved after',
    noAttribution:
      'You may not read this deal’s attribution and commissions: only ops, admin, the store’s manager, the closer and the credited online agent may. The deal itself is shown above.',
    attributionPending: 'This deal has no attribution yet (it is worked out shortly after the close). Refresh in a moment.',
    me: 'me',
    none: '–',
    refresh: 'Refresh',
    entryAmount: 'Amount (yuan)',
  },
};

const PAGE = 50;

/** Names of stores and brands (public records) and of the staff the caller may list. */
function useNames(session: Session, storeIds: string[], brandIds: string[]) {
  const key = [...new Set(storeIds)].sort().join(',') + '|' + [...new Set(brandIds)].sort().join(',');
  const [names, setNames] = useState<{ stores: Map<string, string>; brands: Map<string, string>; staff: Map<string, string> }>({
    stores: new Map(),
    brands: new Map(),
    staff: new Map(),
  });
  useEffect(() => {
    let live = true;
    void Promise.all([catalogNames('stores', storeIds), catalogNames('brands', brandIds), staffDirectory(session).catch(() => [])]).then(
      ([stores, brands, staff]) => live && setNames({ stores, brands, staff: new Map(staff.map((s) => [s.id, s.name])) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

function DealList({ session }: { session: Session }) {
  const t = useT(words);
  const { lang } = useLang();
  const chainWide = hasRole(session, ROLE.ops);
  const [storeId, setStoreId] = useState('');
  const [brandId, setBrandId] = useState('');
  const [pages, setPages] = useState(1);

  const choices = useLoad(
    async () => ({
      stores: chainWide ? await allStores(session) : [],
      brands: await allPages<{ id: string; name: string }>(session, '/v1/brands').catch(() => []),
    }),
    [],
  );
  const loaded = useLoad(
    async (signal) => {
      const deals: Deal[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < pages; i++) {
        const q = new URLSearchParams({ limit: String(PAGE) });
        if (storeId) q.set('storeId', storeId);
        if (brandId) q.set('brandId', brandId);
        if (cursor) q.set('cursor', cursor);
        const page: { items: Deal[]; nextCursor: string | null } = await call(session, 'GET', `/v1/deals?${q}`, { signal });
        deals.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return { deals, more: cursor !== null };
    },
    [storeId, brandId, pages],
  );
  const deals = loaded.data?.deals ?? [];
  const names = useNames(
    session,
    deals.map((d) => d.storeId),
    deals.map((d) => d.brandId),
  );
  const filtered = !!(storeId || brandId);
  const open = (id: string) => (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest('a, button')) return;
    go('deals', id);
  };

  return (
    <section aria-labelledby="deals-title">
      <h2 id="deals-title">{t('title')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {chainWide ? (
          <label>
            {t('store')}
            <select
              value={storeId}
              onChange={(e) => {
                setStoreId(e.target.value);
                setPages(1);
              }}
              data-testid="deals-store"
            >
              <option value="">{t('allStores')}</option>
              {(choices.data?.stores ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {s.city}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('brand')}
          <select
            value={brandId}
            onChange={(e) => {
              setBrandId(e.target.value);
              setPages(1);
            }}
            data-testid="deals-brand"
          >
            <option value="">{t('allBrands')}</option>
            {(choices.data?.brands ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      {loaded.error ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : deals.length === 0 ? (
        <Empty>{filtered ? t('emptyFiltered') : t('empty')}</Empty>
      ) : (
        <>
          <p className="state" data-testid="deals-count">
            {t('shown', { n: deals.length })}
            {loaded.loading ? ' …' : ''}
          </p>
          <div className="table-wrap">
            <table data-testid="deals-table" aria-busy={loaded.loading}>
              <caption className="sr-only">{t('title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('closedAt')}</th>
                  <th scope="col">{t('store')}</th>
                  <th scope="col">{t('brand')}</th>
                  <th scope="col" className="num">
                    {t('amount')}
                  </th>
                  <th scope="col" className="num">
                    {t('discount')}
                  </th>
                  <th scope="col" className="num">
                    {t('payable')}
                  </th>
                  <th scope="col" className="num">
                    {t('refunded')}
                  </th>
                  <th scope="col">{t('card')}</th>
                </tr>
              </thead>
              <tbody>
                {deals.map((d) => (
                  <tr key={d.id} data-testid={`deal-row-${d.id}`} className="clickable" onClick={open(d.id)}>
                    <th scope="row">
                      <a href={`#/deals/${d.id}`} data-testid={`deal-link-${d.id}`}>
                        <time dateTime={d.closedAt}>{when(d.closedAt, lang)}</time>
                      </a>
                    </th>
                    <td>{names.stores.get(d.storeId) ?? d.storeId}</td>
                    <td>{names.brands.get(d.brandId) ?? d.brandId}</td>
                    <td className="num" data-field="amountFen" data-value={d.amountFen}>
                      {yuanOf(d.amountFen)}
                    </td>
                    <td className="num" data-field="discountFen" data-value={d.discountFen}>
                      {yuanOf(d.discountFen)}
                    </td>
                    <td className="num" data-field="payableFen" data-value={d.payableFen}>
                      {yuanOf(d.payableFen)}
                    </td>
                    <td className="num" data-field="refundedFen" data-value={d.refundedFen}>
                      {yuanOf(d.refundedFen)}
                    </td>
                    <td>{d.cardNo ? <code>{d.cardNo}</code> : <span className="muted">{t('noCard')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {loaded.data.more ? (
            <p>
              <button type="button" className="secondary" onClick={() => setPages((p) => p + 1)} disabled={loaded.loading} data-testid="deals-more">
                {loaded.loading ? t('loadingMore') : t('more')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

const yuanOf = (fen: number) => money(fen).replace('¥', '');

function DealDetail({ session, id }: { session: Session; id: string }) {
  const t = useT(words);
  const { lang } = useLang();
  const deal = useLoad((signal) => call<Deal>(session, 'GET', `/v1/deals/${encodeURIComponent(id)}`, { signal }), [id]);
  // Read apart from the deal: who may read the deal is not always who may read its attribution.
  const attribution = useLoad(
    (signal) =>
      call<Attribution>(session, 'GET', `/v1/deals/${encodeURIComponent(id)}/attribution`, { signal }).then(
        (a) => ({ a, refused: false as const }),
        (e: unknown) => {
          if (e instanceof ApiError && (e.failure === 'not_found' || e.failure === 'forbidden')) return { a: null, refused: true as const };
          throw e;
        },
      ),
    [id],
  );
  const d = deal.data;
  const cw = useCommissionWords();
  const a = attribution.data?.a ?? null;
  // The flags' explanations name other stores too (the lead owner's).
  const flagStores = (a?.explain ?? []).flatMap((s) => [...s.why.matchAll(/store ([0-9a-f-]{36})/gi)].map((m) => m[1]));
  const names = useNames(session, [...(d ? [d.storeId] : []), ...flagStores], d ? [d.brandId] : []);
  const staffName = (staffId: string | null | undefined) => {
    if (!staffId) return t('none');
    const name = names.staff.get(staffId);
    if (staffId !== session.staffId) return name ?? staffId;
    if (!name) return t('me');
    return lang === 'zh' ? `${name}（${t('me')}）` : `${name} (${t('me')})`;
  };
  const explainNames: Names = { staff: staffName, store: (s) => names.stores.get(s) ?? s };
  const readsAll = !!d && (hasRole(session, ROLE.ops) || (hasRole(session, ROLE.storeManager) && session.storeId === d.storeId));
  const ownOnly = !!d && !readsAll;
  // The API answers 404 both to a caller who may not read the attribution and for a deal not attributed yet.
  const mayRead = readsAll || (!!d && !!session.staffId && d.staffId === session.staffId);
  // A deal the API refused or has not found for this caller: its attribution tells nothing more.
  const dealMissing = deal.error instanceof ApiError && ['not_found', 'forbidden', 'refused'].includes(deal.error.failure);

  return (
    <section aria-labelledby="deal-title" data-testid="deal-detail" data-deal-id={id}>
      <p>
        <a href="#/deals" data-testid="deal-back">
          {t('back')}
        </a>
      </p>
      <h2 id="deal-title">
        {t('dealTitle')} <code className="id">{id}</code>
      </h2>
      {deal.error ? (
        <ErrorState error={deal.error} onRetry={deal.reload} />
      ) : !d ? (
        <Loading />
      ) : (
        <>
          <dl className="figures">
            {(['amountFen', 'discountFen', 'payableFen', 'refundedFen'] as const).map((f) => (
              <div key={f}>
                <dt>{t(({ amountFen: 'amount', discountFen: 'discount', payableFen: 'payable', refundedFen: 'refunded' } as const)[f])}</dt>
                <dd data-testid={`deal-${f}`} data-value={d[f]}>
                  {yuanOf(d[f])}
                </dd>
              </div>
            ))}
          </dl>
          <section className="panel">
            <dl className="facts">
              <div>
                <dt>{t('closedAt')}</dt>
                <dd>
                  <time dateTime={d.closedAt}>{when(d.closedAt, lang)}</time>
                </dd>
              </div>
              <div>
                <dt>{t('store')}</dt>
                <dd data-testid="deal-store">{names.stores.get(d.storeId) ?? d.storeId}</dd>
              </div>
              <div>
                <dt>{t('brand')}</dt>
                <dd data-testid="deal-brand">{names.brands.get(d.brandId) ?? d.brandId}</dd>
              </div>
              <div>
                <dt>{t('closer')}</dt>
                <dd>{staffName(d.staffId)}</dd>
              </div>
              <div>
                <dt>{t('customer')}</dt>
                <dd data-testid="deal-customer">
                  {d.customerName ? `${d.customerName} · ` : ''}
                  {d.customerPhone}
                </dd>
              </div>
              <div>
                <dt>{t('card')}</dt>
                <dd>{d.cardNo ? <code>{d.cardNo}</code> : t('noCard')}</dd>
              </div>
              <div>
                <dt>{t('booking')}</dt>
                <dd>{d.bookingId ? <code>{d.bookingId}</code> : t('none')}</dd>
              </div>
              <div>
                <dt>{t('lead')}</dt>
                <dd>{d.leadId ? <code>{d.leadId}</code> : t('none')}</dd>
              </div>
              <div>
                <dt>{t('source')}</dt>
                <dd>
                  {d.source
                    ? [cw.channel(d.source.channel), d.source.campaign, d.source.agentId ? `${t('agent')} ${staffName(d.source.agentId)}` : null]
                        .filter(Boolean)
                        .join(' · ')
                    : t('none')}
                </dd>
              </div>
            </dl>
          </section>
          <h3>{t('items')}</h3>
          {d.items.length === 0 ? (
            <p className="state">{t('noItems')}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="deal-items">
                <thead>
                  <tr>
                    <th scope="col">{t('product')}</th>
                    <th scope="col">{t('sku')}</th>
                    <th scope="col" className="num">
                      {t('qty')}
                    </th>
                    <th scope="col" className="num">
                      {t('price')}
                    </th>
                    <th scope="col" className="num">
                      {t('subtotal')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((item, i) => (
                    <tr key={i}>
                      <td>{item.productId ? <code>{item.productId}</code> : t('none')}</td>
                      <td>{item.skuCode ?? t('none')}</td>
                      <td className="num">{item.qty}</td>
                      <td className="num">{yuanOf(item.priceFen)}</td>
                      <td className="num">{yuanOf(item.priceFen * item.qty)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('refunds')}</h3>
          {!d.refunds?.length ? (
            <p className="state">{t('noRefunds')}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="deal-refunds">
                <thead>
                  <tr>
                    <th scope="col">{t('refundAt')}</th>
                    <th scope="col" className="num">
                      {t('refundAmount')}
                    </th>
                    <th scope="col">{t('refundReason')}</th>
                    <th scope="col">{t('refundFull')}</th>
                    <th scope="col" className="num">
                      {t('refundTotal')}
                    </th>
                    <th scope="col">{t('cardReversal')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.refunds.map((r) => (
                    <tr key={r.id}>
                      <td>{when(r.at, lang)}</td>
                      <td className="num">{yuanOf(r.amountFen)}</td>
                      <td className="wrap">{r.reason}</td>
                      <td>{r.full ? t('yes') : t('no')}</td>
                      <td className="num">{yuanOf(r.refundedTotalFen)}</td>
                      <td>{r.cardReversal}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      {dealMissing ? null : (
        <>
          <h3>{t('attribution')}</h3>
          {attribution.error ? (
            <ErrorState error={attribution.error} onRetry={attribution.reload} />
          ) : !attribution.data ? (
            <Loading />
          ) : !a ? (
            <section className="panel explain" data-testid="deal-explain">
              <p className="state note" role="note" data-testid="attribution-note" data-reason={mayRead ? 'pending' : 'refused'}>
                {mayRead ? t('attributionPending') : t('noAttribution')}
              </p>
              {mayRead ? (
                <button type="button" className="secondary" onClick={attribution.reload}>
                  {t('refresh')}
                </button>
              ) : null}
            </section>
          ) : (
            <>
              <dl className="facts" data-testid="deal-attribution">
                <div>
                  <dt>{t('via')}</dt>
                  <dd data-testid="attribution-via" data-via={a.online.via}>
                    {cw.via(a.online.via)}
                  </dd>
                </div>
                <div>
                  <dt>{t('channel')}</dt>
                  <dd data-channel={a.online.channel ?? ''}>{a.online.channel ? cw.channel(a.online.channel) : t('none')}</dd>
                </div>
                <div>
                  <dt>{t('campaign')}</dt>
                  <dd>{a.online.campaign ?? t('none')}</dd>
                </div>
                <div>
                  <dt>{t('agent')}</dt>
                  <dd>{a.online.agentId ? staffName(a.online.agentId) : t('none')}</dd>
                </div>
                <div>
                  <dt>{t('budget')}</dt>
                  <dd>{a.budgetFen === null || a.budgetFen === undefined ? t('none') : yuanOf(a.budgetFen)}</dd>
                </div>
                <div>
                  <dt>{t('ruleVersion')}</dt>
                  <dd>{a.ruleVersion ?? t('none')}</dd>
                </div>
              </dl>
              {a.commissions.length ? (
                <div className="table-wrap">
                  <table data-testid="deal-commissions">
                    <caption className="sr-only">{t('commissions')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('party')}</th>
                        <th scope="col">{t('kind')}</th>
                        <th scope="col">{t('person')}</th>
                        <th scope="col" className="num">
                          {t('entryAmount')}
                        </th>
                        <th scope="col">{t('status')}</th>
                        <th scope="col">{t('approveAfter')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {a.commissions.map((c) => (
                        <tr key={c.id} data-testid={`commission-${c.id}`} data-party={c.party} data-kind={c.kind}>
                          <td>{cw.party(c.party)}</td>
                          <td>{cw.kind(c.kind)}</td>
                          <td>{c.staffId ? staffName(c.staffId) : t('none')}</td>
                          <td className="num" data-value={c.amountFen}>
                            {yuanOf(c.amountFen)}
                          </td>
                          <td>
                            <span className={`badge status-${c.status}`}>{cw.status(c.status)}</span>
                          </td>
                          <td>{when(c.approveAfter, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              <DealExplain attribution={a} names={explainNames} ownOnly={ownOnly} />
            </>
          )}
        </>
      )}
    </section>
  );
}

export function DealsView({ session, rest }: ViewProps) {
  const id = rest[0];
  return id ? <DealDetail key={id} session={session} id={decodeURIComponent(id)} /> : <DealList session={session} />;
}
