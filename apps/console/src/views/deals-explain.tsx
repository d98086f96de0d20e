import { ReactNode } from 'react';
import { yuan } from '../api';
import { Dictionary, Lang, useLang, useT } from '../i18n';
import { when } from './leads-shared';

/** A deal's attribution in plain words: read from the API's entries and its explain texts, nothing invented. */

export interface ExplainStep {
  step: string;
  candidate?: string;
  taken: boolean;
  why: string;
}
export interface Commission {
  id: string;
  staffId?: string | null;
  party: 'online_agent' | 'offline_closer' | 'platform';
  kind: 'base' | 'premium' | 'fee' | 'clawback';
  amountFen: number;
  status: 'pending' | 'approved' | 'paid' | 'reversed';
  clawbackOf?: string | null;
  refundId?: string | null;
  at: string;
  approveAfter: string;
}
export interface Attribution {
  dealId: string;
  online: { via: 'card' | 'booking' | 'phone_match' | 'none'; channel?: string; campaign?: string; agentId?: string };
  offline: { storeId: string; staffId: string };
  commissions: Commission[];
  flags: string[];
  explain: ExplainStep[];
  ruleVersion?: number | null;
  amountFen: number;
  budgetFen?: number | null;
  closedAt: string;
}

const CHANNELS = ['seo', 'sem', 'social', 'partner', 'direct', 'offline'] as const;
const PARTIES = ['online_agent', 'offline_closer', 'platform'] as const;
const KINDS = ['base', 'premium', 'fee', 'clawback'] as const;
const STATUSES = ['pending', 'approved', 'paid', 'reversed'] as const;

const words: Dictionary<
  | 'hSource'
  | 'hOwner'
  | 'hMoney'
  | 'hFlags'
  | 'taken'
  | 'passed'
  | 'apiText'
  | `ch_${(typeof CHANNELS)[number]}`
  | 'chUnknown'
  | `party_${(typeof PARTIES)[number]}`
  | `kind_${(typeof KINDS)[number]}`
  | `status_${(typeof STATUSES)[number]}`
  | `via_${Attribution['online']['via']}`
  | 'source'
  | 'campaign'
  | 'noCampaign'
  | 'agent'
  | 'noAgent'
  | 'refCard'
  | 'refBooking'
  | 'refLead'
  | 'sCardNone'
  | 'sCardTaken'
  | 'sCardUnknown'
  | 'sBookingTaken'
  | 'sFromConsultation'
  | 'sBookingUnknown'
  | 'sBookingNone'
  | 'sPhoneTaken'
  | 'sPhoneVoid'
  | 'sPhoneOtherDeal'
  | 'sPhoneNoTime'
  | 'sPhoneNoSource'
  | 'sPhoneAfter'
  | 'sPhoneOutside'
  | 'sPhoneOlder'
  | 'sPhoneNone'
  | 'sNone'
  | 'oOffline'
  | 'oOnlineAgent'
  | 'oOnlineNoAgent'
  | 'oOnlineNone'
  | 'cRules'
  | 'cNoRules'
  | 'cEntry'
  | 'cPremium'
  | 'cRounded'
  | 'cClawback'
  | 'cTotal'
  | 'cOwn'
  | 'cNone'
  | 'mNoAgent'
  | 'mNoBudget'
  | 'mUnderBudget'
  | 'mZero'
  | 'fNone'
  | 'fFlying'
  | 'fCard'
  | 'fLead'
  | 'fOther'
> = {
  zh: {
    hSource: '为什么归因到这个来源',
    hOwner: '为什么是这位负责人',
    hMoney: '每笔佣金怎么算',
    hFlags: '风险标记',
    taken: '采用',
    passed: '未采用',
    apiText: '系统原文',
    ch_seo: '搜索优化（SEO）',
    ch_sem: '搜索广告（SEM）',
    ch_social: '社交媒体',
    ch_partner: '合作伙伴',
    ch_direct: '直接访问',
    ch_offline: '线下',
    chUnknown: '未知渠道',
    party_online_agent: '在线顾问',
    party_offline_closer: '成交人',
    party_platform: '平台',
    kind_base: '成交提成',
    kind_premium: '超预算提成',
    kind_fee: '平台服务费',
    kind_clawback: '退款冲回',
    status_pending: '待审批',
    status_approved: '已审批',
    status_paid: '已发放',
    status_reversed: '已冲销',
    via_card: '核销的特权卡',
    via_booking: '本单的预约',
    via_phone_match: '同一手机号的卡或预约',
    via_none: '无',
    source: '渠道 {channel}，{campaign}，{agent}',
    campaign: '活动 {c}',
    noCampaign: '无活动',
    agent: '在线顾问 {a}',
    noAgent: '无在线顾问',
    refCard: '特权卡 {id}',
    refBooking: '预约 {id}',
    refLead: '线索 {id}',
    sCardNone: '本单没有核销特权卡。',
    sCardTaken: '本单核销了{ref}，按这张卡的来源归因：{source}。',
    sCardUnknown: '本单核销了{ref}，但卡的来源未知，不能据此归因。',
    sBookingTaken: '本单关联了{ref}，按预约的来源归因：{source}。',
    sFromConsultation: '（在线顾问取自这张预约之前的咨询）',
    sBookingUnknown: '本单关联了{ref}，但预约的来源未知，不能据此归因。',
    sBookingNone: '本单没有关联预约。',
    sPhoneTaken: '{ref} 是同一手机号在 {window} 天归因窗口内最新的卡或预约（成交前 {days} 天），按它的来源归因：{source}。',
    sPhoneVoid: '{ref}：这张卡已作废，不计。',
    sPhoneOtherDeal: '{ref}：这张卡已在另一笔成交中核销，不计。',
    sPhoneNoTime: '{ref}：不知道这张卡的购买时间，不计。',
    sPhoneNoSource: '{ref}：来源未知，不计。',
    sPhoneAfter: '{ref}：产生于成交之后（{at}），不计。',
    sPhoneOutside: '{ref}：产生于成交前 {days} 天，超出 {window} 天的归因窗口，不计。',
    sPhoneOlder: '{ref}：比已采用的那一条更早，不计。',
    sPhoneNone: '手机号 {phone} 没有已知的卡或预约。',
    sNone: '没有卡、没有预约、也没有手机号匹配：本单不计入任何线上来源。',
    oOffline: '线下：本单由门店「{store}」的 {closer} 成交。成交人就是线下负责人，成交提成和超预算提成都记在 {closer} 名下。',
    oOnlineAgent: '线上：来源是{via}（{source}），在线顾问 {agent} 获得线上提成。',
    oOnlineNoAgent: '线上：来源是{via}（{source}），但没有在线顾问，不产生线上提成。',
    oOnlineNone: '线上：没有找到线上来源，本单不计入任何渠道，也没有在线顾问。',
    cRules:
      '按第 {v} 版佣金规则计算（{since} 起生效，是成交时有效的最新版本）：线上 {online}，线下 {offline}，超预算 {premium}，平台费 {fee}；归因窗口 {window} 天；成交 {delay} 天后审批。',
    cNoRules: '成交时没有生效的佣金规则，所以不产生佣金条目；归因使用默认的 {window} 天窗口。',
    cEntry: '{party}{who} · {kind}：{rate} × {base} = {exact}',
    cPremium: '（成交额 {amount} − 预算 {budget}）',
    cRounded: '；按累计取整规则记 {amount}',
    cClawback: '{party}{who} · 退款冲回：退款 {refund}（累计退款从 {before} 到 {total}，成交额 {dealAmount}），原条目 {entry} 按退款比例冲回 {amount}',
    cTotal: '以上条目合计 {sum}。',
    cOwn: '您只能看到记在自己名下的佣金条目。',
    cNone: '没有佣金条目。',
    mNoAgent: '没有在线顾问：不产生线上提成。',
    mNoBudget: '不知道客户预算：不产生超预算提成。',
    mUnderBudget: '成交额 {amount} 没有超过预算 {budget}：不产生超预算提成。',
    mZero: '{party} · {kind}：取整后为 0 分，不记录。',
    fNone: '没有风险标记。',
    fFlying: '疑似飞单（flying_order_suspect）：这笔成交可能绕开了应有的归因，请运营核实。',
    fCard: '成交时没有用卡，但该客户手机号持有一张有效、可用于此品牌的{ref}。',
    fLead: '本单由门店「{store}」成交，但该客户的线索属于门店「{ownerStore}」的 {owner}，仍在保护期内（至 {until}）。',
    fOther: '标记：{flag}',
  },
  en: {
    hSource: 'Why this source',
    hOwner: 'Why this owner',
    hMoney: 'How each commission is computed',
    hFlags: 'Flags',
    taken: 'taken',
    passed: 'passed over',
    apiText: 'as the system says',
    ch_seo: 'SEO',
    ch_sem: 'search ads (SEM)',
    ch_social: 'social media',
    ch_partner: 'partner',
    ch_direct: 'direct',
    ch_offline: 'offline',
    chUnknown: 'unknown channel',
    party_online_agent: 'Online agent',
    party_offline_closer: 'Closer',
    party_platform: 'Platform',
    kind_base: 'base commission',
    kind_premium: 'over-budget premium',
    kind_fee: 'platform fee',
    kind_clawback: 'refund clawback',
    status_pending: 'pending',
    status_approved: 'approved',
    status_paid: 'paid',
    status_reversed: 'reversed',
    via_card: 'the redeemed privilege card',
    via_booking: 'the deal’s booking',
    via_phone_match: 'a card or booking of the same phone',
    via_none: 'none',
    source: 'channel {channel}, {campaign}, {agent}',
    campaign: 'campaign {c}',
    noCampaign: 'no campaign',
    agent: 'online agent {a}',
    noAgent: 'no online agent',
    refCard: 'privilege card {id}',
    refBooking: 'booking {id}',
    refLead: 'lead {id}',
    sCardNone: 'No privilege card was redeemed in this deal.',
    sCardTaken: 'The deal redeemed {ref}, so it takes the card’s source: {source}.',
    sCardUnknown: 'The deal redeemed {ref}, but the card’s source is not known, so it cannot decide.',
    sBookingTaken: 'The deal names {ref}, so it takes the booking’s source: {source}.',
    sFromConsultation: ' (the online agent comes from the consultation before the booking)',
    sBookingUnknown: 'The deal names {ref}, but the booking’s source is not known, so it cannot decide.',
    sBookingNone: 'The deal names no booking.',
    sPhoneTaken:
      '{ref} is the newest card or booking of the same phone inside the {window}-day window ({days} days before the close), so the deal takes its source: {source}.',
    sPhoneVoid: '{ref}: the card was voided, so it does not count.',
    sPhoneOtherDeal: '{ref}: the card was redeemed in another deal, so it does not count.',
    sPhoneNoTime: '{ref}: when the card was bought is not known, so it does not count.',
    sPhoneNoSource: '{ref}: its source is not known, so it does not count.',
    sPhoneAfter: '{ref}: made after the close ({at}), so it does not count.',
    sPhoneOutside: '{ref}: made {days} days before the close, outside the {window}-day window, so it does not count.',
    sPhoneOlder: '{ref}: older than the one taken, so it does not count.',
    sPhoneNone: 'No card or booking of the phone {phone} is known.',
    sNone: 'No card, no booking and no phone match: the deal is credited to no online source.',
    oOffline:
      'Offline: {closer} of the store “{store}” closed the deal. The closer is the offline owner: the base commission and any over-budget premium go to {closer}.',
    oOnlineAgent: 'Online: the source is {via} ({source}); the online agent {agent} earns the online commission.',
    oOnlineNoAgent: 'Online: the source is {via} ({source}), but no online agent is known, so there is no online commission.',
    oOnlineNone: 'Online: no online source was found; the deal counts for no channel and no online agent.',
    cRules:
      'Computed by commission rules version {v} (in force since {since}, the newest at the close): online {online}, offline {offline}, premium {premium}, platform fee {fee}; attribution window {window} days; approved {delay} days after the close.',
    cNoRules: 'No commission rules were in force at the close, so there are no entries; the default {window}-day window was used.',
    cEntry: '{party}{who} · {kind}: {rate} × {base} = {exact}',
    cPremium: ' (amount {amount} − budget {budget})',
    cRounded: '; recorded as {amount} by the running-total rounding rule',
    cClawback:
      '{party}{who} · refund clawback: a refund of {refund} (refunded so far from {before} to {total} of {dealAmount}) takes back the same share of the entry {entry}: {amount}',
    cTotal: 'These entries add up to {sum}.',
    cOwn: 'You see only the entries credited to you.',
    cNone: 'No commission entries.',
    mNoAgent: 'No online agent is known: no online commission.',
    mNoBudget: 'The customer’s budget is not known: no over-budget premium.',
    mUnderBudget: 'The amount {amount} does not pass the budget {budget}: no over-budget premium.',
    mZero: '{party} · {kind}: 0 fen once rounded, so no entry.',
    fNone: 'No flags.',
    fFlying: 'Suspected flying order (flying_order_suspect): the deal may have dodged its attribution; ops should check it.',
    fCard: 'The deal was closed without a card, while the customer’s phone holds {ref}, active and usable for this brand.',
    fLead: 'The store “{store}” closed the deal, while the customer’s lead belongs to {owner} of the store “{ownerStore}” and is protected until {until}.',
    fOther: 'Flag: {flag}',
  },
};

/** ¥ with a real minus sign. */
export const money = (fen: number): string => (fen < 0 ? `−¥${yuan(-fen)}` : `¥${yuan(fen)}`);
/** An exact amount of fen as the API writes it ("8997.5"), in yuan with every decimal it has. */
const exactMoney = (fen: string): string => {
  const n = Number(fen) / 100;
  return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
};
/** Basis points as a percent: 150 → 1.5%. */
const rate = (bp: string | number): string => `${Number((Number(bp) / 100).toFixed(4))}%`;

export interface Names {
  staff: (id: string | null | undefined) => string;
  store: (id: string) => string;
}

type T = (key: keyof (typeof words)['zh'], vars?: Record<string, string | number>) => string;

/** Party, kind and status of a commission entry in words, for tables. */
export function useCommissionWords() {
  const t = useT(words);
  return {
    party: (p: string) => partyWords(t, p),
    kind: (k: string) => kindWords(t, k),
    status: (s: string) => ((STATUSES as readonly string[]).includes(s) ? t(`status_${s as (typeof STATUSES)[number]}`) : s),
    via: (v: Attribution['online']['via']) => t(`via_${v}`),
    channel: (c: string | undefined) => channelWords(t, c),
  };
}

function refWords(t: T, ref: string | undefined): string {
  if (!ref) return '';
  const [kind, ...rest] = ref.split(':');
  const id = rest.join(':');
  if (kind === 'card') return t('refCard', { id });
  if (kind === 'booking') return t('refBooking', { id });
  if (kind === 'lead') return t('refLead', { id });
  return ref;
}

function channelWords(t: T, channel: string | undefined | null): string {
  return channel && (CHANNELS as readonly string[]).includes(channel) ? t(`ch_${channel as (typeof CHANNELS)[number]}`) : (channel ?? t('chUnknown'));
}

/** "channel sem, campaign x, agent y" (the API's description of a source) in words. */
function sourceWords(t: T, text: string, names: Names): string | null {
  const m = /^channel (\S+), (?:campaign (.+?)|no campaign), (?:agent (\S+)|no agent)$/.exec(text.trim());
  if (!m) return null;
  return t('source', {
    channel: channelWords(t, m[1] === 'unknown' ? null : m[1]),
    campaign: m[2] ? t('campaign', { c: m[2] }) : t('noCampaign'),
    agent: m[3] ? t('agent', { a: names.staff(m[3]) }) : t('noAgent'),
  });
}

/** One source step (card, booking, phone_match, none) in words, or null when the text is not one the console knows. */
function sourceStep(t: T, s: ExplainStep, names: Names, lang: Lang): string | null {
  const ref = refWords(t, s.candidate);
  const why = s.why.trim();
  let m: RegExpExecArray | null;
  if (s.step === 'card') {
    if (why === 'no card was redeemed in this deal') return t('sCardNone');
    if (why === "the card's source is not known") return t('sCardUnknown', { ref });
    if ((m = /^the card was redeemed in this deal; its source: (.*)$/.exec(why))) {
      const source = sourceWords(t, m[1], names);
      return source ? t('sCardTaken', { ref, source }) : null;
    }
  }
  if (s.step === 'booking') {
    if (why === 'the deal names no booking') return t('sBookingNone');
    if (why === "the booking's source is not known") return t('sBookingUnknown', { ref });
    if ((m = /^the deal's own booking; its source: (.*?)( \(the agent from its consultation\))?$/.exec(why))) {
      const source = sourceWords(t, m[1], names);
      return source ? t('sBookingTaken', { ref, source }) + (m[2] ? t('sFromConsultation') : '') : null;
    }
  }
  if (s.step === 'phone_match') {
    if ((m = /^the newest card or booking of the phone inside the (\d+)-day window \(made (\d+) days before the close\); its source: (.*)$/.exec(why))) {
      const source = sourceWords(t, m[3], names);
      return source ? t('sPhoneTaken', { ref, window: m[1], days: m[2], source }) : null;
    }
    if (why === 'the card was voided') return t('sPhoneVoid', { ref });
    if (why.startsWith('the card was redeemed in another deal')) return t('sPhoneOtherDeal', { ref });
    if (why === 'when the card was bought is not known') return t('sPhoneNoTime', { ref });
    if (why === "the card's source is not known") return t('sPhoneNoSource', { ref });
    if (why === 'older than the one taken') return t('sPhoneOlder', { ref });
    if ((m = /^made (\S+), after the close$/.exec(why))) return t('sPhoneAfter', { ref, at: when(m[1], lang) });
    if ((m = /^made (\d+) days before the close, outside the (\d+)-day window$/.exec(why))) return t('sPhoneOutside', { ref, days: m[1], window: m[2] });
    if ((m = /^no card or booking of (\S+) is known$/.exec(why))) return t('sPhoneNone', { phone: m[1] });
  }
  if (s.step === 'none') return t('sNone');
  return null;
}

function partyWords(t: T, party: string) {
  return (PARTIES as readonly string[]).includes(party) ? t(`party_${party as (typeof PARTIES)[number]}`) : party;
}
function kindWords(t: T, kind: string) {
  return (KINDS as readonly string[]).includes(kind) ? t(`kind_${kind as (typeof KINDS)[number]}`) : kind;
}

/** One commission entry's arithmetic in words, from its explain step; null when the step's text is not one the console knows. */
function entryWords(t: T, c: Commission, step: ExplainStep | undefined, a: Attribution, names: Names): string | null {
  if (!step) return null;
  const who = c.staffId ? ` ${names.staff(c.staffId)}` : '';
  const party = partyWords(t, c.party);
  let m: RegExpExecArray | null;
  if (c.kind === 'clawback') {
    m = /^refund of (\d+) fen \((\d+) → (\d+) of (\d+)\): [−-]\(floor\((-?\d+) ×/.exec(step.why.trim());
    if (!m) return null;
    return t('cClawback', {
      party,
      who,
      refund: money(Number(m[1])),
      before: money(Number(m[2])),
      total: money(Number(m[3])),
      dealAmount: money(Number(m[4])),
      entry: money(Number(m[5])),
      amount: money(c.amountFen),
    });
  }
  m = /^(\d+) fen × (\d+) bp \/ 10000 = ([\d.]+) fen; running floor (\d+) [−-] (\d+) = (-?\d+) fen$/.exec(step.why.trim());
  if (!m) return null;
  const baseFen = Number(m[1]);
  const budget = a.budgetFen;
  const premiumBase = c.kind === 'premium' && budget !== null && budget !== undefined && a.amountFen - budget === baseFen;
  const base = money(baseFen) + (premiumBase ? t('cPremium', { amount: money(a.amountFen), budget: money(budget) }) : '');
  const exact = exactMoney(m[3]);
  const line = t('cEntry', { party, who, kind: kindWords(t, c.kind), rate: rate(m[2]), base, exact });
  return Number(m[3]) === c.amountFen ? line : line + t('cRounded', { amount: money(c.amountFen) });
}

/** The entries' own explain steps: the API appends one per visible entry, in the same order, after everything else. */
function stepsOfEntries(a: Attribution): (ExplainStep | undefined)[] {
  const tail = a.explain.slice(Math.max(0, a.explain.length - a.commissions.length));
  const aligned =
    tail.length === a.commissions.length &&
    tail.every((s, i) =>
      a.commissions[i].kind === 'clawback' ? s.step === 'clawback' : s.step === 'entry' && s.candidate === `${a.commissions[i].party} ${a.commissions[i].kind}`,
    );
  return aligned ? tail : a.commissions.map(() => undefined);
}

function missingWords(t: T, s: ExplainStep): string | null {
  const why = s.why.trim();
  let m: RegExpExecArray | null;
  if (why === 'no online agent is known: no online share') return t('mNoAgent');
  if (why === 'no budget is known: no premium') return t('mNoBudget');
  if ((m = /^the amount (\d+) does not pass the budget (\d+): no premium$/.exec(why)))
    return t('mUnderBudget', { amount: money(Number(m[1])), budget: money(Number(m[2])) });
  if (why.endsWith(': no entry of 0 fen') && s.candidate) {
    const [party, kind] = s.candidate.split(' ');
    return t('mZero', { party: partyWords(t, party), kind: kindWords(t, kind ?? '') });
  }
  return null;
}

function rulesWords(t: T, s: ExplainStep, lang: Lang): string | null {
  const why = s.why.trim();
  let m = /^no commission rules were in force at the close: no entries; the default (\d+)-day window was used$/.exec(why);
  if (m) return t('cNoRules', { window: m[1] });
  m =
    /^version (\d+), in force since (\S+) \(.*?\): online (\d+) bp, offline (\d+) bp, premium (\d+) bp, platform fee (\d+) bp, window (\d+) days, approved (\d+) days after the close$/.exec(
      why,
    );
  if (!m) return null;
  return t('cRules', {
    v: m[1],
    since: when(m[2], lang),
    online: rate(m[3]),
    offline: rate(m[4]),
    premium: rate(m[5]),
    fee: rate(m[6]),
    window: m[7],
    delay: m[8],
  });
}

function flagWords(t: T, s: ExplainStep, names: Names, lang: Lang): string | null {
  const why = s.why.trim();
  if (/^flying_order_suspect: closed without a card while the phone holds this active card/.test(why)) return t('fCard', { ref: refWords(t, s.candidate) });
  const m = /^flying_order_suspect: closed by store (\S+), while the lead belongs to (\S+) of store (\S+) and is protected until (\S+)$/.exec(why);
  if (m) return t('fLead', { store: names.store(m[1]), owner: names.staff(m[2]), ownerStore: names.store(m[3]), until: when(m[4], lang) });
  return null;
}

/** A sentence in the console's words, with the API's own text beside it (it is what support will quote). */
function Said({ words: text, api, label, children }: { words: string | null; api: string; label: string; children?: ReactNode }) {
  return (
    <>
      <span>{text ?? api}</span>
      {children}
      {text ? (
        <small className="api-text">
          {label}: <q lang="en">{api}</q>
        </small>
      ) : null}
    </>
  );
}

const SOURCE_STEPS = ['card', 'booking', 'phone_match', 'none'];

export function DealExplain({ attribution: a, names, ownOnly }: { attribution: Attribution; names: Names; ownOnly: boolean }) {
  const t = useT(words);
  const { lang } = useLang();
  const sourceSteps = a.explain.filter((s) => SOURCE_STEPS.includes(s.step));
  const flagSteps = a.explain.filter((s) => s.step === 'flag');
  const rulesSteps = a.explain.filter((s) => s.step === 'rules');
  const missing = a.explain.filter((s) => s.step === 'entry' && !s.taken);
  const entrySteps = stepsOfEntries(a);
  const sum = a.commissions.reduce((n, c) => n + c.amountFen, 0);
  const via = t(`via_${a.online.via}`);
  const onlineSource = sourceWords(
    t,
    `channel ${a.online.channel ?? 'unknown'}, ${a.online.campaign ? `campaign ${a.online.campaign}` : 'no campaign'}, ${a.online.agentId ? `agent ${a.online.agentId}` : 'no agent'}`,
    names,
  );

  return (
    <section className="panel explain" data-testid="deal-explain" aria-labelledby="deal-explain-source">
      <h3 id="deal-explain-source">{t('hSource')}</h3>
      <ol className="steps">
        {sourceSteps.map((s, i) => (
          <li key={i} data-testid={`explain-source-${i}`} data-step={s.step} data-taken={s.taken ? 'true' : 'false'}>
            <span className={`badge ${s.taken ? 'taken' : 'passed'}`}>{s.taken ? t('taken') : t('passed')}</span>{' '}
            <Said words={sourceStep(t, s, names, lang)} api={s.why} label={t('apiText')} />
          </li>
        ))}
      </ol>

      <h3>{t('hOwner')}</h3>
      <ul className="steps" data-testid="explain-owner">
        <li>{t('oOffline', { store: names.store(a.offline.storeId), closer: names.staff(a.offline.staffId) })}</li>
        <li>
          {a.online.via === 'none'
            ? t('oOnlineNone')
            : a.online.agentId
              ? t('oOnlineAgent', { via, source: onlineSource ?? '', agent: names.staff(a.online.agentId) })
              : t('oOnlineNoAgent', { via, source: onlineSource ?? '' })}
        </li>
      </ul>

      <h3>{t('hMoney')}</h3>
      <ul className="steps" data-testid="explain-money">
        {rulesSteps.map((s, i) => (
          <li key={`r${i}`}>
            <Said words={rulesWords(t, s, lang)} api={s.why} label={t('apiText')} />
          </li>
        ))}
        {a.commissions.map((c, i) => (
          <li key={c.id} data-testid={`explain-entry-${c.id}`} data-party={c.party} data-kind={c.kind} data-amount={c.amountFen}>
            <Said words={entryWords(t, c, entrySteps[i], a, names)} api={entrySteps[i]?.why ?? `${c.party} ${c.kind} ${c.amountFen} fen`} label={t('apiText')}>
              {' '}
              <span className={`badge status-${c.status}`}>{(STATUSES as readonly string[]).includes(c.status) ? t(`status_${c.status}`) : c.status}</span>
            </Said>
          </li>
        ))}
        {missing.map((s, i) => (
          <li key={`m${i}`} className="muted">
            <Said words={missingWords(t, s)} api={s.why} label={t('apiText')} />
          </li>
        ))}
        {a.commissions.length ? <li data-testid="explain-total">{t('cTotal', { sum: money(sum) })}</li> : <li>{t('cNone')}</li>}
        {ownOnly ? <li className="muted">{t('cOwn')}</li> : null}
      </ul>

      <h3>{t('hFlags')}</h3>
      <ul className="steps" data-testid="explain-flags">
        {a.flags.length === 0 ? <li>{t('fNone')}</li> : null}
        {a.flags.map((f) => (
          <li key={f} data-flag={f} className="flag">
            {f === 'flying_order_suspect' ? t('fFlying') : t('fOther', { flag: f })}
          </li>
        ))}
        {flagSteps.map((s, i) => (
          <li key={`f${i}`}>
            <Said words={flagWords(t, s, names, lang)} api={s.why} label={t('apiText')} />
          </li>
        ))}
      </ul>
    </section>
  );
}
