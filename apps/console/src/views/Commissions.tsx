import { FormEvent, useMemo, useState } from 'react';
import { allPages, call, randomId, Session, yuan } from '../api';
import { Empty, ErrorState, Loading } from '../components/states';
import { useLoad } from '../components/use-load';
import { addDays, chainDay, chainMidnight } from '../dates';
import { Dictionary, Lang, useLang, useT } from '../i18n';
import { mayOpen, ViewProps } from '../routes';
import { hasRole, ROLE } from '../session';
import { Attempt, keyFor, staffDirectory, when } from './leads-shared';

const STATUSES = ['pending', 'approved', 'paid', 'reversed'] as const;
type Status = (typeof STATUSES)[number];
type Party = 'online_agent' | 'offline_closer' | 'platform';
type Kind = 'base' | 'premium' | 'fee' | 'clawback';

interface Commission {
  id: string;
  dealId: string;
  staffId: string | null;
  party: Party;
  kind: Kind;
  amountFen: number;
  status: Status;
  clawbackOf: string | null;
  refundId: string | null;
  at: string;
  approveAfter: string;
  statementId: string | null;
}

interface StatementLine {
  staffId: string | null;
  approvedFen: number;
  clawbackFen: number;
  netFen: number;
  entries: number;
}
interface Statement {
  id: string;
  period: string;
  periodEnd: string;
  createdAt: string;
  lines: StatementLine[];
  totalFen: number;
}

/** The most entries the page reads at once; past it, the page says so and asks for narrower filters. */
const MAX_ROWS = 1000;

const words: Dictionary<
  | 'title'
  | 'filters'
  | 'status'
  | 'allStatuses'
  | 'staff'
  | 'allStaff'
  | 'from'
  | 'to'
  | 'clear'
  | 'badRange'
  | 'at'
  | 'deal'
  | 'party'
  | 'kind'
  | 'amount'
  | 'approveAfter'
  | 'statement'
  | 'count'
  | 'truncated'
  | 'emptyOwn'
  | 'emptyAll'
  | 'totals'
  | 'totalsCaption'
  | 'entries'
  | 'sum'
  | 'platform'
  | 'me'
  | 'tableCaption'
  | 'statements'
  | 'statementsHint'
  | 'period'
  | 'create'
  | 'creating'
  | 'periodNotOver'
  | 'statementOf'
  | 'statementMeta'
  | 'approved'
  | 'clawback'
  | 'net'
  | 'total'
  | 'noLines'
  | 'clawbackOf'
  | `status.${Status}`
  | `party.${Party}`
  | `kind.${Kind}`
> = {
  zh: {
    title: '佣金',
    filters: '筛选佣金',
    status: '状态',
    allStatuses: '全部状态',
    staff: '员工',
    allStaff: '全部员工',
    from: '开始日期',
    to: '结束日期（含）',
    clear: '清除筛选',
    badRange: '结束日期不能早于开始日期。',
    at: '发生时间',
    deal: '成交单',
    party: '角色',
    kind: '类型',
    amount: '金额（元）',
    approveAfter: '审核通过时间',
    statement: '结算单',
    count: '共 {n} 条',
    truncated: '只显示前 {n} 条，请缩小日期范围或按状态筛选。',
    emptyOwn: '暂无佣金。您成交或引流的订单记录后，佣金会显示在这里；也可以放宽日期范围或换一个状态。',
    emptyAll: '没有符合条件的佣金。请放宽日期范围、换一个状态或员工。',
    totals: '按状态合计',
    totalsCaption: '各状态的条数与金额',
    entries: '条数',
    sum: '合计（元）',
    platform: '平台',
    me: '我',
    tableCaption: '佣金明细（扣回为负数）',
    statements: '月度结算单',
    statementsHint: '为已结束的月份生成结算单：该月底前已审核的佣金计入并标记为已支付，未结清的扣回一并结算。同一月份再次生成会返回原结算单。',
    period: '结算月份',
    create: '生成结算单',
    creating: '生成中…',
    periodNotOver: '只能为已结束的月份生成结算单。',
    statementOf: '{period} 结算单',
    statementMeta: '截止 {end}，生成于 {created}，编号 {id}',
    approved: '已审核（元）',
    clawback: '扣回（元）',
    net: '应付净额（元）',
    total: '合计',
    noLines: '该月没有需要结算的佣金。',
    clawbackOf: '扣回',
    'status.pending': '待审核',
    'status.approved': '已审核',
    'status.paid': '已支付',
    'status.reversed': '已冲销',
    'party.online_agent': '线上顾问',
    'party.offline_closer': '门店成交人',
    'party.platform': '平台',
    'kind.base': '基础佣金',
    'kind.premium': '超预算奖励',
    'kind.fee': '平台服务费',
    'kind.clawback': '退款扣回',
  },
  en: {
    title: 'Commissions',
    filters: 'Filter commissions',
    status: 'Status',
    allStatuses: 'All statuses',
    staff: 'Staff member',
    allStaff: 'All staff',
    from: 'From',
    to: 'To (included)',
    clear: 'Clear filters',
    badRange: 'The end date cannot be before the start date.',
    at: 'When',
    deal: 'Deal',
    party: 'Party',
    kind: 'Kind',
    amount: 'Amount (yuan)',
    approveAfter: 'Approved after',
    statement: 'Statement',
    count: '{n} entries',
    truncated: 'Showing the first {n} only: narrow the dates or filter by status.',
    emptyOwn: 'No commissions yet. They appear here once a deal you closed or referred is recorded; or widen the dates, or pick another status.',
    emptyAll: 'No commissions match. Widen the dates, or pick another status or staff member.',
    totals: 'Totals by status',
    totalsCaption: 'Entries and amount per status',
    entries: 'Entries',
    sum: 'Total (yuan)',
    platform: 'Platform',
    me: 'me',
    tableCaption: 'Commission entries (clawbacks are negative)',
    statements: 'Monthly statements',
    statementsHint:
      "Draw the statement of a month that is over: the entries approved before the month's end are paid by it, with the clawbacks not settled yet. Asking again for the same month answers the same statement.",
    period: 'Month',
    create: 'Draw statement',
    creating: 'Drawing…',
    periodNotOver: 'Only a month that is over can have a statement.',
    statementOf: 'Statement for {period}',
    statementMeta: 'Up to {end}, drawn {created}, id {id}',
    approved: 'Approved (yuan)',
    clawback: 'Clawback (yuan)',
    net: 'Net (yuan)',
    total: 'Total',
    noLines: 'Nothing to settle for this month.',
    clawbackOf: 'claws back',
    'status.pending': 'Pending',
    'status.approved': 'Approved',
    'status.paid': 'Paid',
    'status.reversed': 'Reversed',
    'party.online_agent': 'Online agent',
    'party.offline_closer': 'Store closer',
    'party.platform': 'Platform',
    'kind.base': 'Base',
    'kind.premium': 'Premium',
    'kind.fee': 'Platform fee',
    'kind.clawback': 'Clawback',
  },
};

/** The month before the current one in the chain's zone, YYYY-MM: the latest that can have a statement. */
function lastMonth(): string {
  const [y, m] = chainDay(new Date()).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
/** An id's last characters: UUIDv7s made the same minute share their first ones. */
const short = (id: string) => `…${id.slice(-8)}`;
const money = (fen: number) => (fen < 0 ? `−${yuan(-fen)}` : yuan(fen));
const sign = (fen: number) => (fen < 0 ? 'negative' : fen > 0 ? 'positive' : undefined);

function Amount({ fen }: { fen: number }) {
  return <span className={sign(fen)}>{money(fen)}</span>;
}

export function CommissionsView({ session }: ViewProps) {
  const t = useT(words);
  const { lang } = useLang();
  const everyone = hasRole(session, ROLE.ops);
  const [status, setStatus] = useState<Status | ''>('');
  const [staffId, setStaffId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const badRange = Boolean(from && to && to < from);

  const directory = useLoad(() => staffDirectory(session), [session.token]);
  const names = useMemo(() => new Map((directory.data ?? []).map((s) => [s.id, s.name])), [directory.data]);
  const who = (id: string | null) => (id === null ? t('platform') : id === session.staffId ? (names.get(id) ?? t('me')) : (names.get(id) ?? id));

  const loaded = useLoad(async () => {
    if (badRange) return undefined;
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    if (everyone && staffId) query.set('staffId', staffId);
    if (from) query.set('from', chainMidnight(from));
    if (to) query.set('to', chainMidnight(addDays(to, 1)));
    const qs = query.toString();
    return allPages<Commission>(session, `/v1/commissions${qs ? `?${qs}` : ''}`, MAX_ROWS);
  }, [status, staffId, from, to, badRange]);
  const rows = loaded.data;

  const totals = useMemo(() => {
    const by = new Map<Status, { entries: number; fen: number }>(STATUSES.map((s) => [s, { entries: 0, fen: 0 }]));
    for (const r of rows ?? []) {
      const s = by.get(r.status);
      if (s) {
        s.entries++;
        s.fen += r.amountFen;
      }
    }
    return by;
  }, [rows]);

  const dealsOpen = mayOpen(session, 'deals');
  const filtered = Boolean(status || staffId || from || to);

  return (
    <section aria-labelledby="commissions-title" className="commissions">
      <h2 id="commissions-title">{t('title')}</h2>
      <form className="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status | '')} data-testid="commissions-status">
            <option value="">{t('allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {everyone ? (
          <label>
            {t('staff')}
            <select value={staffId} onChange={(e) => setStaffId(e.target.value)} data-testid="commissions-staff">
              <option value="">{t('allStaff')}</option>
              {(directory.data ?? [])
                .slice()
                .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('from')}
          <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} data-testid="commissions-from" />
        </label>
        <label>
          {t('to')}
          <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} data-testid="commissions-to" />
        </label>
        {filtered ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setStatus('');
              setStaffId('');
              setFrom('');
              setTo('');
            }}
          >
            {t('clear')}
          </button>
        ) : null}
      </form>

      {badRange ? (
        <p className="state error" role="alert">
          {t('badRange')}
        </p>
      ) : loaded.error ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : !rows ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{everyone ? t('emptyAll') : t('emptyOwn')}</Empty>
      ) : (
        <>
          <p className="state" data-testid="commissions-count" data-count={rows.length} aria-live="polite">
            {t('count', { n: rows.length })}
            {loaded.loading ? ' …' : ''}
          </p>
          {rows.length >= MAX_ROWS ? (
            <p className="state" role="status">
              {t('truncated', { n: MAX_ROWS })}
            </p>
          ) : null}
          <h3 className="sr-only">{t('totals')}</h3>
          <dl className="figures" aria-label={t('totalsCaption')}>
            {STATUSES.map((s) => {
              const total = totals.get(s)!;
              return (
                <div key={s} data-testid={`commission-total-${s}`} data-value={total.fen} data-count={total.entries}>
                  <dt>{t(`status.${s}`)}</dt>
                  <dd>
                    <Amount fen={total.fen} />
                  </dd>
                  <dd className="sub">
                    {t('entries')}: {total.entries}
                  </dd>
                </div>
              );
            })}
          </dl>
          <div className="table-wrap">
            <table className="stack-table" data-testid="commissions-table">
              <caption className="sr-only">{t('tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('at')}</th>
                  <th scope="col">{t('deal')}</th>
                  {everyone ? <th scope="col">{t('staff')}</th> : null}
                  <th scope="col">{t('party')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col" className="num">
                    {t('amount')}
                  </th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('approveAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.id}
                    data-testid={`commission-row-${r.id}`}
                    data-staff-id={r.staffId ?? ''}
                    data-status={r.status}
                    data-amount={r.amountFen}
                    className={r.kind === 'clawback' ? 'clawback' : undefined}
                  >
                    <td data-label={t('at')}>{when(r.at, lang)}</td>
                    <td data-label={t('deal')}>
                      {dealsOpen ? (
                        <a href={`#/deals/${r.dealId}`} title={r.dealId}>
                          {short(r.dealId)}
                        </a>
                      ) : (
                        <code title={r.dealId}>{short(r.dealId)}</code>
                      )}
                    </td>
                    {everyone ? <td data-label={t('staff')}>{who(r.staffId)}</td> : null}
                    <td data-label={t('party')}>{t(`party.${r.party}`)}</td>
                    <td data-label={t('kind')}>
                      {t(`kind.${r.kind}`)}
                      {r.clawbackOf ? (
                        <span className="sub" title={r.clawbackOf}>
                          {' '}
                          ({t('clawbackOf')} {short(r.clawbackOf)})
                        </span>
                      ) : null}
                    </td>
                    <td data-label={t('amount')} className="num" data-value={r.amountFen}>
                      <Amount fen={r.amountFen} />
                    </td>
                    <td data-label={t('status')}>
                      <span className={`badge status-${r.status}`}>{t(`status.${r.status}`)}</span>
                    </td>
                    <td data-label={t('approveAfter')}>{when(r.approveAfter, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {everyone ? <Statements session={session} lang={lang} who={who} onDrawn={loaded.reload} /> : null}
    </section>
  );
}

/** Ops and admin: draw a past month's statement and read it, line by staff member. */
function Statements({ session, lang, who, onDrawn }: { session: Session; lang: Lang; who: (id: string | null) => string; onDrawn: () => void }) {
  const t = useT(words);
  const latest = lastMonth();
  const [period, setPeriod] = useState(latest);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [statement, setStatement] = useState<Statement | null>(null);
  const notOver = period > latest;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!period || notOver || busy) return;
    const body = { period };
    // A retry after the service was down reuses the key: the same statement, never a second one.
    const next = keyFor(attempt, error, body, randomId);
    setAttempt(next);
    setBusy(true);
    setError(null);
    try {
      setStatement(await call<Statement>(session, 'POST', '/v1/commission-statements', { body, idempotencyKey: next.key }));
      onDrawn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel statements" aria-labelledby="statements-title">
      <h3 id="statements-title">{t('statements')}</h3>
      <p className="state">{t('statementsHint')}</p>
      <form className="filters" onSubmit={submit}>
        <label>
          {t('period')}
          <input
            type="month"
            value={period}
            max={latest}
            pattern="\d{4}-\d{2}"
            required
            onChange={(e) => setPeriod(e.target.value)}
            aria-invalid={notOver || undefined}
            aria-describedby={notOver ? 'period-not-over' : undefined}
            data-testid="statement-period"
          />
        </label>
        <button type="submit" disabled={busy || notOver || !period} data-testid="statement-create">
          {busy ? t('creating') : t('create')}
        </button>
      </form>
      {notOver ? (
        <p id="period-not-over" className="state error" role="alert">
          {t('periodNotOver')}
        </p>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {statement ? (
        <div data-testid="statement" data-statement-id={statement.id} data-period={statement.period} data-total={statement.totalFen}>
          <h4>{t('statementOf', { period: statement.period })}</h4>
          <p className="state">{t('statementMeta', { end: when(statement.periodEnd, lang), created: when(statement.createdAt, lang), id: statement.id })}</p>
          {statement.lines.length === 0 ? (
            <Empty>{t('noLines')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="stack-table">
                <caption className="sr-only">{t('statementOf', { period: statement.period })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('staff')}</th>
                    <th scope="col" className="num">
                      {t('entries')}
                    </th>
                    <th scope="col" className="num">
                      {t('approved')}
                    </th>
                    <th scope="col" className="num">
                      {t('clawback')}
                    </th>
                    <th scope="col" className="num">
                      {t('net')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {statement.lines.map((l) => (
                    <tr key={l.staffId ?? 'platform'} data-testid={`statement-line-${l.staffId ?? 'platform'}`}>
                      <th scope="row" data-label={t('staff')}>
                        {who(l.staffId)}
                      </th>
                      <td className="num" data-label={t('entries')}>
                        {l.entries}
                      </td>
                      <td className="num" data-label={t('approved')} data-value={l.approvedFen}>
                        <Amount fen={l.approvedFen} />
                      </td>
                      <td className="num" data-label={t('clawback')} data-value={l.clawbackFen}>
                        <Amount fen={l.clawbackFen} />
                      </td>
                      <td className="num" data-label={t('net')} data-value={l.netFen}>
                        <Amount fen={l.netFen} />
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('total')}</th>
                    <td className="num" data-label={t('entries')}>
                      {statement.lines.reduce((n, l) => n + l.entries, 0)}
                    </td>
                    <td className="num" data-label={t('approved')}>
                      <Amount fen={statement.lines.reduce((n, l) => n + l.approvedFen, 0)} />
                    </td>
                    <td className="num" data-label={t('clawback')}>
                      <Amount fen={statement.lines.reduce((n, l) => n + l.clawbackFen, 0)} />
                    </td>
                    <td className="num" data-label={t('net')} data-value={statement.totalFen}>
                      <Amount fen={statement.totalFen} />
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
