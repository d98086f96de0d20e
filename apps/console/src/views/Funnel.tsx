import { useMemo, useState } from 'react';
import { allPages, call, percent, Session, yuan } from '../api';
import { Chart, ChartOption } from '../components/chart';
import { Empty, ErrorState, Loading } from '../components/states';
import { useLoad } from '../components/use-load';
import { addDays, chainDay, CHAIN_TZ } from '../dates';
import { Dictionary, useT } from '../i18n';
import { ViewProps } from '../routes';

const STEPS = ['visits', 'consultations', 'bookings', 'storeVisits', 'deals'] as const;
const RATES = ['consultationRate', 'bookingRate', 'toStoreRate', 'dealRate'] as const;
const MONEY = ['dealAmountFen', 'budgetFen', 'premiumFen'] as const;
const GROUPINGS = ['channel', 'city', 'store', 'agent', 'brand'] as const;
const CHANNELS = ['seo', 'sem', 'social', 'partner', 'direct', 'offline'] as const;
type Channel = (typeof CHANNELS)[number];
const isChannel = (key: string): key is Channel => (CHANNELS as readonly string[]).includes(key);
type Grouping = (typeof GROUPINGS)[number];
type Figures = Record<(typeof STEPS)[number] | (typeof MONEY)[number], number> & Record<(typeof RATES)[number], number | null>;
interface Funnel {
  rows: (Figures & { key: string })[];
  total: Figures;
  from: string;
  to: string;
  tz: string;
}

const words: Dictionary<
  | 'title'
  | 'from'
  | 'to'
  | 'groupBy'
  | Grouping
  | (typeof STEPS)[number]
  | (typeof RATES)[number]
  | (typeof MONEY)[number]
  | 'none'
  | 'total'
  | 'key'
  | 'range'
  | 'empty'
  | 'funnelChart'
  | 'ratesChart'
  | 'badRange'
  | `channel.${Channel}`
> = {
  zh: {
    title: '转化漏斗',
    from: '开始日期',
    to: '结束日期（含）',
    groupBy: '分组',
    channel: '渠道',
    city: '城市',
    store: '门店',
    agent: '在线顾问',
    brand: '品牌',
    visits: '访问',
    consultations: '咨询',
    bookings: '预约',
    storeVisits: '到店',
    deals: '成交',
    consultationRate: '咨询率',
    bookingRate: '预约率',
    toStoreRate: '到店率',
    dealRate: '成交率',
    dealAmountFen: '成交金额（元）',
    budgetFen: '预算（元）',
    premiumFen: '超预算（元）',
    none: '无',
    total: '合计',
    key: '分组',
    range: '统计区间：{from} 至 {to}（{tz}）',
    empty: '所选区间内没有数据。请换一个日期范围，或先运行 npm run demo 生成演示数据。',
    funnelChart: '五步转化漏斗图',
    ratesChart: '各分组四项转化率柱状图',
    badRange: '结束日期不能早于开始日期。',
    'channel.seo': '自然搜索 seo',
    'channel.sem': '付费搜索 sem',
    'channel.social': '社交媒体 social',
    'channel.partner': '合作伙伴 partner',
    'channel.direct': '直接访问 direct',
    'channel.offline': '线下 offline',
  },
  en: {
    title: 'Funnel',
    from: 'From',
    to: 'To (included)',
    groupBy: 'Group by',
    channel: 'Channel',
    city: 'City',
    store: 'Store',
    agent: 'Online agent',
    brand: 'Brand',
    visits: 'Visits',
    consultations: 'Consultations',
    bookings: 'Bookings',
    storeVisits: 'Store visits',
    deals: 'Deals',
    consultationRate: 'Consultation rate',
    bookingRate: 'Booking rate',
    toStoreRate: 'To-store rate',
    dealRate: 'Deal rate',
    dealAmountFen: 'Deal amount (yuan)',
    budgetFen: 'Budget (yuan)',
    premiumFen: 'Premium (yuan)',
    none: 'none',
    total: 'Total',
    key: 'Group',
    range: 'Range: {from} to {to} ({tz})',
    empty: 'No records in this range. Pick other dates, or seed demo data with npm run demo.',
    funnelChart: 'Funnel chart of the five steps',
    ratesChart: 'Bar chart of the four rates per group',
    badRange: 'The end date cannot be before the start date.',
    'channel.seo': 'seo',
    'channel.sem': 'sem',
    'channel.social': 'social',
    'channel.partner': 'partner',
    'channel.direct': 'direct',
    'channel.offline': 'offline',
  },
};

/** An instant as the wall clock of tz shows it, e.g. 2026-11-10 00:00. */
const local = (instant: string, tz: string) => new Date(instant).toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16);

/** Names for the keys of a grouping by store, brand or agent (ids in the API's answer). */
async function namesFor(session: Session, groupBy: Grouping): Promise<Map<string, string>> {
  const source = groupBy === 'store' ? '/v1/stores' : groupBy === 'brand' ? '/v1/brands' : groupBy === 'agent' ? '/v1/staff?team=online' : null;
  if (!source) return new Map();
  const items = await allPages<{ id: string; name: string }>(session, source).catch(() => []);
  return new Map(items.map((i) => [i.id, i.name]));
}

export function FunnelView({ session }: ViewProps) {
  const t = useT(words);
  const today = chainDay(new Date());
  const [from, setFrom] = useState(addDays(today, -13));
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<Grouping>('channel');
  const badRange = to < from;

  const loaded = useLoad(
    async (signal) => {
      if (badRange) return undefined;
      const query = new URLSearchParams({ from, to: addDays(to, 1), groupBy, tz: CHAIN_TZ });
      const [funnel, names] = await Promise.all([call<Funnel>(session, 'GET', `/v1/funnel?${query}`, { signal }), namesFor(session, groupBy)]);
      return { funnel, names };
    },
    [from, to, groupBy],
  );
  const funnel = loaded.data?.funnel;
  const label = (key: string) => {
    if (key === 'none') return t('none');
    if (groupBy === 'channel' && isChannel(key)) return t(`channel.${key}`);
    return loaded.data?.names.get(key) ?? key;
  };

  const funnelOption = useMemo<ChartOption | null>(
    () =>
      funnel
        ? {
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'funnel',
                sort: 'none',
                minSize: '8%',
                label: { show: true, position: 'inside', formatter: '{b}: {c}' },
                data: STEPS.map((s) => ({ name: t(s), value: funnel.total[s] })),
              },
            ],
          }
        : null,
    [funnel, t],
  );
  const ratesOption = useMemo<ChartOption | null>(
    () =>
      funnel
        ? {
            tooltip: { trigger: 'axis', valueFormatter: (v: number) => percent(v) },
            legend: { top: 0 },
            grid: { left: 48, right: 16, bottom: 56, top: 40 },
            xAxis: { type: 'category', data: funnel.rows.map((r) => label(r.key)), axisLabel: { interval: 0, rotate: funnel.rows.length > 6 ? 30 : 0 } },
            yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
            series: RATES.map((r) => ({ type: 'bar', name: t(r), data: funnel.rows.map((row) => row[r]) })),
          }
        : null,
    [funnel, t],
  );

  return (
    <section aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t('title')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('from')}
          <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="funnel-from" />
        </label>
        <label>
          {t('to')}
          <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="funnel-to" />
        </label>
        <label>
          {t('groupBy')}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as Grouping)} data-testid="funnel-group-by">
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(g)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {badRange ? (
        <p className="state error" role="alert">
          {t('badRange')}
        </p>
      ) : loaded.error ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : !funnel ? (
        <Loading />
      ) : (
        <>
          <p className="state" data-testid="funnel-range" data-from={funnel.from} data-to={funnel.to}>
            {t('range', { from: local(funnel.from, funnel.tz), to: local(funnel.to, funnel.tz), tz: funnel.tz })}
            {loaded.loading ? ' …' : ''}
          </p>
          <dl className="figures">
            {[...STEPS, ...MONEY].map((f) => (
              <div key={f}>
                <dt>{t(f)}</dt>
                <dd data-testid={`funnel-total-${f}`}>{f.endsWith('Fen') ? yuan(funnel.total[f]) : funnel.total[f].toLocaleString('zh-CN')}</dd>
              </div>
            ))}
          </dl>
          {funnel.rows.length === 0 ? (
            <Empty>{t('empty')}</Empty>
          ) : (
            <>
              <div className="charts">
                {funnelOption ? <Chart option={funnelOption} label={t('funnelChart')} testId="funnel-chart" /> : null}
                {ratesOption ? <Chart option={ratesOption} label={t('ratesChart')} testId="rates-chart" /> : null}
              </div>
              <div className="table-wrap">
                <table data-testid="funnel-table">
                  <caption className="sr-only">{t('title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('key')}</th>
                      {[...STEPS, ...RATES, ...MONEY].map((f) => (
                        <th key={f} scope="col" className="num">
                          {t(f)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {[...funnel.rows.map((r) => ({ ...r, id: r.key, name: label(r.key) })), { ...funnel.total, id: 'total', name: t('total') }].map((row) => (
                      <tr key={row.id} data-testid={`funnel-row-${row.id}`} data-key={row.id}>
                        <th scope="row">{row.name}</th>
                        {STEPS.map((f) => (
                          <td key={f} className="num" data-field={f} data-value={row[f]}>
                            {row[f].toLocaleString('zh-CN')}
                          </td>
                        ))}
                        {RATES.map((f) => (
                          <td key={f} className="num" data-field={f} data-value={row[f] ?? ''}>
                            {percent(row[f])}
                          </td>
                        ))}
                        {MONEY.map((f) => (
                          <td key={f} className="num" data-field={f} data-value={row[f]}>
                            {yuan(row[f])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
