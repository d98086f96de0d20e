import { useSyncExternalStore } from 'react';
import { allPages, ApiError, call, Session } from '../api';
import { CHAIN_TZ } from '../dates';
import { Lang } from '../i18n';
import { hasRole, ROLE } from '../session';

/** Shared by the lead queue and the deals: names for ids, times in the chain's zone, a ticking clock. */

export interface Staff {
  id: string;
  name: string;
  team: 'online' | 'offline';
  role: 'agent' | 'store_staff' | 'store_manager';
  storeId: string | null;
  brandIds: string[];
  dailyCapacity: number;
  active: boolean;
  username?: string;
}

/** Times as the chain reads them: Shanghai wall clock. */
export const when = (iso: string | null | undefined, lang: Lang): string =>
  iso
    ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        timeZone: CHAIN_TZ,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '–';

/** Calls that are the same for everyone (public catalog reads) or for one login, remembered for the page's life. */
const cache = new Map<string, Promise<unknown>>();
function remembered<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    // A failure is not remembered: the next look tries again.
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** A store's or a brand's name from its public record, or null when it cannot be read (the page shows the id). */
export function catalogName(kind: 'stores' | 'brands', id: string): Promise<string | null> {
  return remembered(`${kind}/${id}`, () => call<{ name: string }>(null, 'GET', `/v1/${kind}/${encodeURIComponent(id)}`)).then(
    (r) => r.name,
    () => null,
  );
}

/** Names of many stores or brands at once, as a map (ids that cannot be read are left out). */
export async function catalogNames(kind: 'stores' | 'brands', ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter(Boolean);
  const names = await Promise.all(unique.map((id) => catalogName(kind, id)));
  return new Map(unique.flatMap((id, i) => (names[i] ? [[id, names[i]] as [string, string]] : [])));
}

/** Every store, for a filter (public). */
export const allStores = (session: Session) =>
  remembered('stores', () => allPages<{ id: string; name: string; city: string }>(session, '/v1/stores')).catch(
    () => [] as { id: string; name: string; city: string }[],
  );

/** Who may list staff: ops and admin everyone, a store manager their store; a salesperson no one (the page shows ids). */
export const mayListStaff = (session: Session) => hasRole(session, ROLE.ops, ROLE.storeManager);

/**
 * The staff the caller may see: ops and admin the whole roster, a store manager their store's.
 * Empty when the caller may not list staff, or the list cannot be read: names fall back to ids.
 */
export function staffDirectory(session: Session): Promise<Staff[]> {
  if (!mayListStaff(session)) return Promise.resolve([]);
  const path = hasRole(session, ROLE.ops) ? '/v1/staff' : session.storeId ? `/v1/staff?storeId=${encodeURIComponent(session.storeId)}` : null;
  if (!path) return Promise.resolve([]);
  return remembered(`${session.token}:${path}`, () => allPages<Staff>(session, path)).catch((e: unknown) => {
    if (e instanceof ApiError && e.failure === 'signed_out') throw e;
    return [];
  });
}

/** A ticking clock shared by every countdown on the page: one timer, whatever the number of rows. */
let nowMs = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    nowMs = Date.now();
    timer = setInterval(() => {
      nowMs = Date.now();
      listeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
export const useNow = (): number => useSyncExternalStore(subscribe, () => nowMs);

/** A duration as [d] h:mm:ss. */
export function clock(ms: number, lang: Lang): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86_400);
  const hms = `${Math.floor((s % 86_400) / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return days ? `${days}${lang === 'zh' ? '天 ' : 'd '}${hms}` : hms;
}

/** An Idempotency-Key per intent: a retry of the same request after the service was down reuses it; anything else gets a new one. */
export interface Attempt {
  key: string;
  body: string;
}
export function keyFor(previous: Attempt | null, previousError: unknown, body: unknown, newKey: () => string): Attempt {
  const json = JSON.stringify(body ?? null);
  const retryable = previousError instanceof ApiError && (previousError.failure === 'unavailable' || previousError.failure === 'unreachable');
  return previous && retryable && previous.body === json ? previous : { key: newKey(), body: json };
}
