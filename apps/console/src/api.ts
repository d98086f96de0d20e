/** The console's only way to the platform: the public /v1 API, each request with its correlation id. */

export interface Session {
  token: string;
  username: string;
  roles: string[];
  staffId: string | null;
  storeId: string | null;
  expiresAt: number;
}

export interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  reason?: string;
  errors?: { field: string; message: string }[];
}

/** Why a call failed, as the page explains it: sign in again, the service is down, or what the API said. */
export type Failure = 'signed_out' | 'forbidden' | 'not_found' | 'unavailable' | 'unreachable' | 'refused';

export class ApiError extends Error {
  constructor(
    readonly failure: Failure,
    readonly status: number,
    readonly correlationId: string,
    readonly problem: Problem | null,
    readonly retryAfter: string | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/** A random id; crypto.randomUUID needs a secure context, which a console on plain http may not have. */
export function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

function failureOf(status: number): Failure {
  if (status === 401) return 'signed_out';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 503 || status === 504 || status === 502) return 'unavailable';
  return 'refused';
}

type Listener = (e: ApiError) => void;
const signedOutListeners = new Set<Listener>();
/** The shell listens: any 401 ends the session, wherever it happened. */
export const onSignedOut = (listener: Listener): (() => void) => {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
};

export interface CallOptions {
  body?: unknown;
  /** For changes: the same key on a retry replays the first answer instead of acting twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function call<T>(session: Session | null, method: string, path: string, options: CallOptions = {}): Promise<T> {
  const correlationId = randomId();
  const headers: Record<string, string> = { accept: 'application/json', 'x-correlation-id': correlationId };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('unreachable', 0, correlationId, null, null);
  }
  const echoed = res.headers.get('x-correlation-id') ?? correlationId;
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (res.ok) return parsed as T;
  const error = new ApiError(failureOf(res.status), res.status, echoed, (parsed as Problem | null) ?? null, res.headers.get('retry-after'));
  if (error.failure === 'signed_out' && session) signedOutListeners.forEach((l) => l(error));
  throw error;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/** Every page of a list, up to a bound: the console's lists are a store's or a person's, not the chain's. */
export async function allPages<T>(session: Session, path: string, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await call(
      session,
      'GET',
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

export const yuan = (fen: number | null | undefined): string =>
  fen === null || fen === undefined ? '–' : (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`);
