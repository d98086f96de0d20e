import { FormEvent, useId, useState } from 'react';
import { ApiError, call, randomId, Session } from '../api';
import { ErrorState } from '../components/states';
import { Dictionary, useT } from '../i18n';
import { Attempt, keyFor, Staff } from './leads-shared';

export interface ReassignableLead {
  id: string;
  ownerId?: string | null;
  storeId?: string | null;
  brandIds: string[];
}

const REASONS = ['staff_inactive', 'staff_other_store', 'already_owner', 'staff_wrong_brand', 'staff_over_capacity', 'staff_not_salesperson'] as const;
type Reason = (typeof REASONS)[number];

const words: Dictionary<
  | 'legend'
  | 'to'
  | 'choose'
  | 'reason'
  | 'reasonHint'
  | 'reasonMissing'
  | 'toMissing'
  | 'submit'
  | 'sending'
  | 'cancel'
  | 'none'
  | 'otherBrand'
  | 'manager'
  | Reason
> = {
  zh: {
    legend: '改派线索',
    to: '改派给',
    choose: '请选择销售',
    reason: '改派原因（必填，会记入线索历史）',
    reasonHint: '例如：客户要求换一位导购',
    reasonMissing: '请填写改派原因。',
    toMissing: '请选择要改派给谁。',
    submit: '确认改派',
    sending: '改派中…',
    cancel: '取消',
    none: '本店没有其他在岗的销售可以接手这条线索。可先在员工管理中启用或添加销售。',
    otherBrand: '（不经营该品牌）',
    manager: '店长',
    staff_inactive: '此人已停用，不能接手线索。',
    staff_other_store: '此人不在这条线索所属的门店。',
    already_owner: '此人已经是这条线索的负责人。',
    staff_wrong_brand: '此人不经营这条线索的品牌。',
    staff_over_capacity: '此人今天接手的线索已达上限。',
    staff_not_salesperson: '此人不是门店销售，不能接手线索。',
  },
  en: {
    legend: 'Reassign the lead',
    to: 'Give it to',
    choose: 'Choose a salesperson',
    reason: 'Reason (required, kept in the lead’s history)',
    reasonHint: 'e.g. the customer asked for a colleague',
    reasonMissing: 'Give a reason for the reassignment.',
    toMissing: 'Choose whom to give it to.',
    submit: 'Reassign',
    sending: 'Reassigning…',
    cancel: 'Cancel',
    none: 'No other active salesperson in this store can take the lead. Activate or add one under staff first.',
    otherBrand: ' (not selling this brand)',
    manager: 'manager',
    staff_inactive: 'This person is inactive and takes no leads.',
    staff_other_store: 'This person works in another store than the lead’s.',
    already_owner: 'This person already owns the lead.',
    staff_wrong_brand: 'This person does not sell the lead’s brands.',
    staff_over_capacity: 'This person has reached today’s capacity.',
    staff_not_salesperson: 'This person is not a store salesperson.',
  },
};

/** The store's active salespeople, other than the owner: whom a lead may go to. */
export function reassignCandidates(lead: ReassignableLead, staff: Staff[], fallbackStoreId: string | null): Staff[] {
  const storeId = lead.storeId ?? fallbackStoreId;
  return staff
    .filter((s) => s.team === 'offline' && (s.role === 'store_staff' || s.role === 'store_manager') && s.active && s.id !== lead.ownerId)
    .filter((s) => !storeId || s.storeId === storeId)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/** The inline form: to whom and why; the API decides whether that person may take it. */
export function ReassignForm({
  session,
  lead,
  candidates,
  onDone,
  onCancel,
}: {
  session: Session;
  lead: ReassignableLead;
  candidates: Staff[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useT(words);
  const id = useId();
  const [toStaffId, setToStaffId] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [missing, setMissing] = useState<{ toStaffId?: boolean; reason?: boolean }>({});

  const sellsBrand = (s: Staff) => !lead.brandIds.length || !s.brandIds.length || s.brandIds.some((b) => lead.brandIds.includes(b));
  const fieldErrors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const fieldError = (field: string) =>
    fieldErrors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || null;
  const toError = (missing.toStaffId ? t('toMissing') : null) ?? fieldError('toStaffId');
  const reasonError = (missing.reason ? t('reasonMissing') : null) ?? fieldError('reason');
  const ruleBroken = error instanceof ApiError ? error.problem?.reason : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const body = { toStaffId, reason: reason.trim() };
    const gaps = { toStaffId: !body.toStaffId, reason: !body.reason };
    setMissing(gaps);
    if (gaps.toStaffId || gaps.reason) return;
    const next = keyFor(attempt, error, body, randomId);
    setAttempt(next);
    setSending(true);
    setError(null);
    try {
      await call(session, 'POST', `/v1/leads/${encodeURIComponent(lead.id)}/reassign`, { body, idempotencyKey: next.key });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} noValidate data-testid={`reassign-form-${lead.id}`} aria-busy={sending}>
      <fieldset disabled={sending}>
        <legend>{t('legend')}</legend>
        {candidates.length === 0 ? <p className="state">{t('none')}</p> : null}
        <label htmlFor={`${id}-to`}>{t('to')}</label>
        <select
          id={`${id}-to`}
          value={toStaffId}
          onChange={(e) => setToStaffId(e.target.value)}
          required
          aria-invalid={toError ? true : undefined}
          aria-describedby={toError ? `${id}-to-error` : undefined}
          data-testid="reassign-to"
        >
          <option value="">{t('choose')}</option>
          {candidates.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.role === 'store_manager' ? ` · ${t('manager')}` : ''}
              {sellsBrand(s) ? '' : t('otherBrand')}
            </option>
          ))}
        </select>
        {toError ? (
          <p className="field-error" id={`${id}-to-error`} data-testid="reassign-to-error">
            {toError}
          </p>
        ) : null}
        <label htmlFor={`${id}-reason`}>{t('reason')}</label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          rows={2}
          maxLength={500}
          placeholder={t('reasonHint')}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? `${id}-reason-error` : undefined}
          data-testid="reassign-reason"
        />
        {reasonError ? (
          <p className="field-error" id={`${id}-reason-error`} data-testid="reassign-reason-error">
            {reasonError}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" data-testid="reassign-submit">
            {sending ? t('sending') : t('submit')}
          </button>
          <button type="button" className="secondary" onClick={onCancel} data-testid="reassign-cancel">
            {t('cancel')}
          </button>
        </div>
      </fieldset>
      {error ? (
        <div data-testid="reassign-error">
          {ruleBroken && (REASONS as readonly string[]).includes(ruleBroken) ? <p className="field-error">{t(ruleBroken as Reason)}</p> : null}
          <ErrorState error={error} />
        </div>
      ) : null}
    </form>
  );
}
