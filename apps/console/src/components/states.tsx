import { ApiError } from '../api';
import { Dictionary, useT } from '../i18n';

const words: Dictionary<
  'loading' | 'signedOut' | 'signInAgain' | 'forbidden' | 'notFound' | 'unavailable' | 'unreachable' | 'refused' | 'retry' | 'correlation' | 'retryAfter'
> = {
  zh: {
    loading: '加载中…',
    signedOut: '登录已失效，请重新登录。',
    signInAgain: '重新登录',
    forbidden: '您的角色无权查看此内容。',
    notFound: '没有找到，或不在您的权限范围内。',
    unavailable: '服务暂时不可用，请稍后重试。',
    unreachable: '无法连接服务器，请检查网络后重试。',
    refused: '请求未被接受：',
    retry: '重试',
    correlation: '请求编号',
    retryAfter: '建议 {s} 秒后重试。',
  },
  en: {
    loading: 'Loading…',
    signedOut: 'Your session has ended. Please sign in again.',
    signInAgain: 'Sign in again',
    forbidden: 'Your role may not see this.',
    notFound: 'Not found, or not within your reach.',
    unavailable: 'The service is down for the moment. Try again shortly.',
    unreachable: 'The server cannot be reached. Check the network and try again.',
    refused: 'The request was refused: ',
    retry: 'Try again',
    correlation: 'Request id',
    retryAfter: 'Try again in {s} s.',
  },
};

export function Loading() {
  const t = useT(words);
  return (
    <p className="state" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

/** An empty list, with what to do about it. */
export function Empty({ children }: { children: React.ReactNode }) {
  return (
    <p className="state empty" role="status">
      {children}
    </p>
  );
}

/** A failed call: what happened, what to do, and the request id to quote to support. */
export function ErrorState({ error, onRetry, onSignIn }: { error: unknown; onRetry?: () => void; onSignIn?: () => void }) {
  const t = useT(words);
  if (!(error instanceof ApiError)) {
    return (
      <div className="state error" role="alert">
        {String((error as Error)?.message ?? error)}
      </div>
    );
  }
  const KEY = { signed_out: 'signedOut', forbidden: 'forbidden', not_found: 'notFound', unavailable: 'unavailable', unreachable: 'unreachable' } as const;
  const message = error.failure === 'refused' ? `${t('refused')}${error.problem?.detail ?? error.problem?.title ?? error.status}` : t(KEY[error.failure]);
  return (
    <div className="state error" role="alert" data-failure={error.failure}>
      <p>{message}</p>
      {error.failure === 'unavailable' && error.retryAfter ? <p>{t('retryAfter', { s: error.retryAfter })}</p> : null}
      {error.failure === 'signed_out' && onSignIn ? (
        <button type="button" onClick={onSignIn}>
          {t('signInAgain')}
        </button>
      ) : null}
      {(error.failure === 'unavailable' || error.failure === 'unreachable' || error.failure === 'refused') && onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
      <p className="correlation">
        {t('correlation')}: <code data-testid="correlation-id">{error.correlationId}</code>
      </p>
    </div>
  );
}
