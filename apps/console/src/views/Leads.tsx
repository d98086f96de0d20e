import { Fragment, MouseEvent, useState } from 'react';
import { allPages, ApiError, call, randomId, Session } from '../api';
import { Empty, ErrorState, Loading } from '../components/states';
import { useLoad } from '../components/use-load';
import { Dictionary, Lang, useLang, useT } from '../i18n';
import { ViewProps } from '../routes';
import { hasRole, ROLE } from '../session';
import { ReassignForm, reassignCandidates } from './leads-reassign';
import { allStores, Attempt, catalogNames, clock, keyFor, Staff, staffDirectory, useNow, when } from './leads-shared';

const STATUSES = ['unassigned', 'assigned', 'contacted', 'visited', 'won', 'lost'] as const;
type Status = (typeof STATUSES)[number];
const OPEN: Status[] = ['unassigned', 'assigned', 'contacted', 'visited'];
/** The API's moves: who may do what to a lead in which status. */
const CONTACTABLE: Status[] = ['assigned'];
const REASSIGNABLE: Status[] = ['unassigned', 'assigned', 'contacted'];
type Filter = 'open' | 'all' | Status;

const ACTIONS = ['created', 'touched', 'assigned', 'unassigned', 'reassigned', 'contacted', 'visited', 'won', 'lost', 'booking_linked'] as const;
type Action = (typeof ACTIONS)[number];

interface HistoryEntry {
  at: string;
  action: string;
  fromStaffId?: string | null;
  toStaffId?: string | null;
  reason?: string | null;
}
export interface Lead {
  id: string;
  bookingIds: string[];
  phone?: string;
  phoneMasked: string;
  city: string;
  storeId?: string | null;
  brandIds: string[];
  ownerId?: string | null;
  status: Status;
  slaDueAt?: string | null;
  protectedUntil: string;
  history: HistoryEntry[];
  createdAt: string;
}

const words: Dictionary<
  | 'title'
  | 'statusFilter'
  | 'storeFilter'
  | 'allStores'
  | 'open'
  | 'all'
  | Status
  | `action_${Action}`
  | 'refresh'
  | 'count'
  | 'status'
  | 'owner'
  | 'brands'
  | 'store'
  | 'created'
  | 'phone'
  | 'sla'
  | 'actions'
  | 'me'
  | 'nobody'
  | 'left'
  | 'overdue'
  | 'slaDue'
  | 'details'
  | 'hide'
  | 'markContacted'
  | 'contacting'
  | 'reassign'
  | 'contactedFailed'
  | 'emptyOpen'
  | 'emptyAll'
  | 'emptyStatus'
  | 'historyTitle'
  | 'at'
  | 'action'
  | 'fromTo'
  | 'reason'
  | 'city'
  | 'bookings'
  | 'protectedUntil'
  | 'noHistory'
  | 'namesHidden'
  | 'capped'
> = {
  zh: {
    title: '线索队列',
    statusFilter: '状态',
    storeFilter: '门店',
    allStores: '全部门店',
    open: '待跟进',
    all: '全部',
    unassigned: '未分配',
    assigned: '已分配',
    contacted: '已联系',
    visited: '已到店',
    won: '已成交',
    lost: '已流失',
    action_created: '创建',
    action_touched: '再次来访',
    action_assigned: '分配',
    action_unassigned: '退回门店队列',
    action_reassigned: '改派',
    action_contacted: '已联系',
    action_visited: '到店',
    action_won: '成交',
    action_lost: '流失',
    action_booking_linked: '关联预约',
    refresh: '刷新',
    count: '共 {n} 条线索',
    status: '状态',
    owner: '负责人',
    brands: '品牌',
    store: '门店',
    created: '创建时间',
    phone: '电话',
    sla: '联系时限',
    actions: '操作',
    me: '我',
    nobody: '未分配',
    left: '剩余 {t}',
    overdue: '已超时 {t}',
    slaDue: '须在 {at} 前联系',
    details: '详情',
    hide: '收起',
    markContacted: '标记已联系',
    contacting: '提交中…',
    reassign: '改派',
    contactedFailed: '未能标记为已联系：',
    emptyOpen: '没有待跟进的线索：新的预约、付费特权卡和留了电话的咨询会自动生成线索，分配后出现在这里。',
    emptyAll: '还没有线索：新的预约会自动生成线索并出现在这里。',
    emptyStatus: '没有状态为「{s}」的线索。可以换一个状态查看。',
    historyTitle: '线索历史',
    at: '时间',
    action: '动作',
    fromTo: '从 → 到',
    reason: '原因',
    city: '城市',
    bookings: '预约单',
    protectedUntil: '保护期至',
    noHistory: '没有历史记录。',
    namesHidden: '您的角色不能查看员工名单，负责人以员工编号显示。',
    capped: '只显示最新的 {n} 条。',
  },
  en: {
    title: 'Lead queue',
    statusFilter: 'Status',
    storeFilter: 'Store',
    allStores: 'All stores',
    open: 'Open',
    all: 'All',
    unassigned: 'Unassigned',
    assigned: 'Assigned',
    contacted: 'Contacted',
    visited: 'Visited',
    won: 'Won',
    lost: 'Lost',
    action_created: 'Created',
    action_touched: 'Came back',
    action_assigned: 'Assigned',
    action_unassigned: 'Back to the store queue',
    action_reassigned: 'Reassigned',
    action_contacted: 'Contacted',
    action_visited: 'Visited',
    action_won: 'Won',
    action_lost: 'Lost',
    action_booking_linked: 'Booking linked',
    refresh: 'Refresh',
    count: '{n} leads',
    status: 'Status',
    owner: 'Owner',
    brands: 'Brands',
    store: 'Store',
    created: 'Created',
    phone: 'Phone',
    sla: 'Contact by',
    actions: 'Actions',
    me: 'me',
    nobody: 'nobody yet',
    left: '{t} left',
    overdue: 'overdue by {t}',
    slaDue: 'Contact before {at}',
    details: 'Details',
    hide: 'Hide',
    markContacted: 'Mark contacted',
    contacting: 'Sending…',
    reassign: 'Reassign',
    contactedFailed: 'Could not mark it contacted: ',
    emptyOpen: 'No open leads: new bookings, paid privilege cards and consultations that leave a phone become leads and appear here once assigned.',
    emptyAll: 'No leads yet: new bookings become leads and appear here.',
    emptyStatus: 'No leads with the status “{s}”. Try another status.',
    historyTitle: 'Lead history',
    at: 'When',
    action: 'Action',
    fromTo: 'From → to',
    reason: 'Reason',
    city: 'City',
    bookings: 'Bookings',
    protectedUntil: 'Protected until',
    noHistory: 'No history.',
    namesHidden: 'Your role may not list staff: owners show as staff ids.',
    capped: 'Only the newest {n} are shown.',
  },
};

const MAX = 500;

async function loadLeads(session: Session, filter: Filter, storeId: string) {
  const query = (status?: Status) => {
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (storeId) q.set('storeId', storeId);
    const s = q.toString();
    return `/v1/leads${s ? `?${s}` : ''}`;
  };
  const statuses: (Status | undefined)[] = filter === 'open' ? OPEN : filter === 'all' ? [undefined] : [filter];
  const lists = await Promise.all(statuses.map((s) => allPages<Lead>(session, query(s), MAX)));
  // Newest first, as the API lists each status.
  const leads = lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return { leads: leads.slice(0, MAX), capped: lists.some((l) => l.length >= MAX) };
}

/** The SLA countdown: ticks every second, red once past. */
function Sla({ lead, lang }: { lead: Lead; lang: Lang }) {
  const t = useT(words);
  const now = useNow();
  if (!lead.slaDueAt) return <span aria-hidden="true">–</span>;
  const left = Date.parse(lead.slaDueAt) - now;
  const overdue = left <= 0;
  return (
    <time
      dateTime={lead.slaDueAt}
      title={t('slaDue', { at: when(lead.slaDueAt, lang) })}
      className={overdue ? 'overdue' : undefined}
      data-testid={`lead-sla-${lead.id}`}
      data-overdue={overdue ? 'true' : 'false'}
    >
      {overdue ? t('overdue', { t: clock(left, lang) }) : t('left', { t: clock(left, lang) })}
    </time>
  );
}

/** The lead as read alone, with its history: each assignment and why. */
function LeadDetail({ session, id, name, round }: { session: Session; id: string; name: (staffId: string | null | undefined) => string; round: number }) {
  const t = useT(words);
  const { lang } = useLang();
  const loaded = useLoad((signal) => call<Lead>(session, 'GET', `/v1/leads/${encodeURIComponent(id)}`, { signal }), [id, round]);
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  const lead = loaded.data;
  if (!lead) return <Loading />;
  const actionWord = (a: string) => ((ACTIONS as readonly string[]).includes(a) ? t(`action_${a as Action}`) : a);
  return (
    <div className="lead-detail">
      <dl className="facts">
        <div>
          <dt>{t('city')}</dt>
          <dd>{lead.city}</dd>
        </div>
        <div>
          <dt>{t('protectedUntil')}</dt>
          <dd>{when(lead.protectedUntil, lang)}</dd>
        </div>
        <div>
          <dt>{t('bookings')}</dt>
          <dd>{lead.bookingIds.length ? lead.bookingIds.map((b) => <code key={b}>{b} </code>) : '–'}</dd>
        </div>
      </dl>
      <h4>{t('historyTitle')}</h4>
      {lead.history.length === 0 ? (
        <p className="state">{t('noHistory')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid={`lead-history-${lead.id}`}>
            <thead>
              <tr>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('action')}</th>
                <th scope="col">{t('fromTo')}</th>
                <th scope="col">{t('reason')}</th>
              </tr>
            </thead>
            <tbody>
              {lead.history.map((h, i) => (
                <tr key={i} data-action={h.action}>
                  <td>{when(h.at, lang)}</td>
                  <td>{actionWord(h.action)}</td>
                  <td className="wrap">
                    {h.fromStaffId || h.toStaffId ? `${h.fromStaffId ? name(h.fromStaffId) : '–'} → ${h.toStaffId ? name(h.toStaffId) : '–'}` : '–'}
                  </td>
                  <td className="wrap">{h.reason ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function LeadsView({ session }: ViewProps) {
  const t = useT(words);
  const { lang } = useLang();
  const chainWide = hasRole(session, ROLE.ops);
  const mayReassign = hasRole(session, ROLE.storeManager, ROLE.ops);
  const [filter, setFilter] = useState<Filter>('open');
  const [storeId, setStoreId] = useState('');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [reassigning, setReassigning] = useState<string | null>(null);
  const [contacting, setContacting] = useState<string | null>(null);
  const [contactError, setContactError] = useState<{ id: string; error: unknown; attempt: Attempt } | null>(null);
  const [detailRound, setDetailRound] = useState(0);

  const stores = useLoad(() => (chainWide ? allStores(session) : Promise.resolve([])), []);
  const loaded = useLoad(async () => {
    const [{ leads, capped }, staff] = await Promise.all([loadLeads(session, filter, storeId), staffDirectory(session)]);
    const [brands, storeNames] = await Promise.all([
      catalogNames(
        'brands',
        leads.flatMap((l) => l.brandIds),
      ),
      chainWide
        ? catalogNames(
            'stores',
            leads.flatMap((l) => (l.storeId ? [l.storeId] : [])),
          )
        : Promise.resolve(new Map<string, string>()),
    ]);
    return { leads, capped, staff, brands, storeNames };
  }, [filter, storeId]);
  const data = loaded.data;
  const staffById = new Map<string, Staff>((data?.staff ?? []).map((s) => [s.id, s]));
  const name = (staffId: string | null | undefined): string => {
    if (!staffId) return t('nobody');
    const known = staffById.get(staffId)?.name;
    if (staffId !== session.staffId) return known ?? staffId;
    if (!known) return t('me');
    return lang === 'zh' ? `${known}（${t('me')}）` : `${known} (${t('me')})`;
  };
  const reload = () => {
    loaded.reload();
    setDetailRound((r) => r + 1);
  };
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const markContacted = async (lead: Lead, retry?: Attempt) => {
    if (contacting) return;
    const attempt = retry ?? keyFor(null, null, null, randomId);
    setContacting(lead.id);
    setContactError(null);
    try {
      await call(session, 'POST', `/v1/leads/${encodeURIComponent(lead.id)}/contacted`, { idempotencyKey: attempt.key });
      reload();
    } catch (error) {
      setContactError({ id: lead.id, error, attempt });
    } finally {
      setContacting(null);
    }
  };
  const retryable = (e: unknown) => e instanceof ApiError && (e.failure === 'unavailable' || e.failure === 'unreachable');

  const columns = 7 + (chainWide ? 1 : 0);
  const leads = data?.leads ?? [];

  return (
    <section aria-labelledby="leads-title">
      <h2 id="leads-title">{t('title')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('statusFilter')}
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} data-testid="leads-status">
            <option value="open">{t('open')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(s)}
              </option>
            ))}
            <option value="all">{t('all')}</option>
          </select>
        </label>
        {chainWide ? (
          <label>
            {t('storeFilter')}
            <select value={storeId} onChange={(e) => setStoreId(e.target.value)} data-testid="leads-store">
              <option value="">{t('allStores')}</option>
              {(stores.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {s.city}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="secondary" onClick={reload} disabled={loaded.loading} data-testid="leads-refresh">
          {t('refresh')}
        </button>
      </form>
      {loaded.error ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : !data ? (
        <Loading />
      ) : leads.length === 0 ? (
        <Empty>{filter === 'open' ? t('emptyOpen') : filter === 'all' ? t('emptyAll') : t('emptyStatus', { s: t(filter) })}</Empty>
      ) : (
        <>
          <p className="state" data-testid="leads-count">
            {t('count', { n: leads.length })}
            {data.capped ? ` ${t('capped', { n: leads.length })}` : ''}
            {loaded.loading ? ' …' : ''}
          </p>
          {!data.staff.length && leads.some((l) => l.ownerId && l.ownerId !== session.staffId) ? <p className="state">{t('namesHidden')}</p> : null}
          <div className="table-wrap">
            <table data-testid="leads-table" aria-busy={loaded.loading}>
              <caption className="sr-only">{t('title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('owner')}</th>
                  <th scope="col">{t('brands')}</th>
                  {chainWide ? <th scope="col">{t('store')}</th> : null}
                  <th scope="col">{t('created')}</th>
                  <th scope="col">{t('phone')}</th>
                  <th scope="col">{t('sla')}</th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {leads.map((lead) => {
                  const expanded = open.has(lead.id);
                  const isOwner = !!session.staffId && session.staffId === lead.ownerId;
                  const canContact = isOwner && CONTACTABLE.includes(lead.status);
                  const canReassign = mayReassign && REASSIGNABLE.includes(lead.status);
                  const failed = contactError?.id === lead.id ? contactError : null;
                  const onRowClick = (e: MouseEvent) => {
                    if ((e.target as HTMLElement).closest('button, a, input, select, textarea, label')) return;
                    toggle(lead.id);
                  };
                  return (
                    <Fragment key={lead.id}>
                      <tr data-testid={`lead-row-${lead.id}`} data-status={lead.status} className="clickable" onClick={onRowClick}>
                        <td>
                          <span className={`badge status-${lead.status}`}>{t(lead.status)}</span>
                        </td>
                        <td data-field="owner" data-owner-id={lead.ownerId ?? ''}>
                          {name(lead.ownerId)}
                        </td>
                        <td className="wrap">
                          {lead.brandIds.length ? lead.brandIds.map((b) => data.brands.get(b) ?? b).join(lang === 'zh' ? '、' : ', ') : '–'}
                        </td>
                        {chainWide ? <td>{lead.storeId ? (data.storeNames.get(lead.storeId) ?? lead.storeId) : lead.city}</td> : null}
                        <td>
                          <time dateTime={lead.createdAt}>{when(lead.createdAt, lang)}</time>
                        </td>
                        <td data-testid={`lead-phone-${lead.id}`}>{lead.phone ?? lead.phoneMasked}</td>
                        <td>
                          <Sla lead={lead} lang={lang} />
                        </td>
                        <td>
                          <div className="row-actions">
                            <button
                              type="button"
                              className="link"
                              aria-expanded={expanded}
                              aria-controls={`lead-detail-${lead.id}`}
                              onClick={() => toggle(lead.id)}
                              data-testid={`lead-open-${lead.id}`}
                            >
                              {expanded ? t('hide') : t('details')}
                            </button>
                            {canContact ? (
                              <button
                                type="button"
                                onClick={() => void markContacted(lead)}
                                disabled={contacting === lead.id}
                                aria-busy={contacting === lead.id}
                                data-testid={`lead-contacted-${lead.id}`}
                              >
                                {contacting === lead.id ? t('contacting') : t('markContacted')}
                              </button>
                            ) : null}
                            {canReassign ? (
                              <button
                                type="button"
                                className="secondary"
                                aria-expanded={reassigning === lead.id}
                                onClick={() => setReassigning((r) => (r === lead.id ? null : lead.id))}
                                data-testid={`lead-reassign-${lead.id}`}
                              >
                                {t('reassign')}
                              </button>
                            ) : null}
                          </div>
                        </td>
                      </tr>
                      {failed ? (
                        <tr className="sub-row">
                          <td colSpan={columns}>
                            <p className="field-error">{t('contactedFailed')}</p>
                            <ErrorState error={failed.error} onRetry={retryable(failed.error) ? () => void markContacted(lead, failed.attempt) : reload} />
                          </td>
                        </tr>
                      ) : null}
                      {reassigning === lead.id ? (
                        <tr className="sub-row">
                          <td colSpan={columns}>
                            <ReassignForm
                              session={session}
                              lead={lead}
                              candidates={reassignCandidates(lead, data.staff, session.storeId)}
                              onDone={() => {
                                setReassigning(null);
                                reload();
                              }}
                              onCancel={() => setReassigning(null)}
                            />
                          </td>
                        </tr>
                      ) : null}
                      {expanded ? (
                        <tr className="sub-row" id={`lead-detail-${lead.id}`} data-testid={`lead-detail-${lead.id}`}>
                          <td colSpan={columns}>
                            <LeadDetail session={session} id={lead.id} name={name} round={detailRound} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
