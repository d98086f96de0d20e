import { useEffect, useState } from 'react';
import { ApiError, onSignedOut, Session } from './api';
import { Dictionary, useLang, useT } from './i18n';
import { go, homeOf, mayOpen, useLocation, ViewName, VIEWS } from './routes';
import { loadSession, saveSession } from './session';
import { CommissionsView } from './views/Commissions';
import { DealsView } from './views/Deals';
import { FunnelView } from './views/Funnel';
import { LeadsView } from './views/Leads';
import { SignIn } from './views/SignIn';

const words: Dictionary<'title' | ViewName | 'signOut' | 'refused' | 'refusedHint' | 'nav' | 'language' | 'expired'> = {
  zh: {
    title: 'O2O Home 运营台',
    funnel: '转化漏斗',
    leads: '线索队列',
    deals: '成交',
    commissions: '佣金',
    signOut: '退出',
    refused: '您的角色无权查看此页面。',
    refusedHint: '请从上方菜单选择您可以查看的页面。',
    nav: '主菜单',
    language: '语言',
    expired: '登录已失效，请重新登录。',
  },
  en: {
    title: 'O2O Home console',
    funnel: 'Funnel',
    leads: 'Lead queue',
    deals: 'Deals',
    commissions: 'Commissions',
    signOut: 'Sign out',
    refused: 'Your role may not open this page.',
    refusedHint: 'Choose a page you may open from the menu above.',
    nav: 'Main menu',
    language: 'Language',
    expired: 'Your session has ended. Please sign in again.',
  },
};

const RENDER: Record<ViewName, (p: { session: Session; rest: string[] }) => React.ReactElement> = {
  funnel: FunnelView,
  leads: LeadsView,
  deals: DealsView,
  commissions: CommissionsView,
};

export function App() {
  const t = useT(words);
  const { lang, setLang } = useLang();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const location = useLocation();

  const signOut = (why?: string) => {
    saveSession(null);
    setSession(null);
    setNotice(why ?? null);
  };
  useEffect(() => onSignedOut((_e: ApiError) => signOut(t('expired'))));
  useEffect(() => {
    if (session && !location.view) go(homeOf(session));
  }, [session, location.view]);

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
          setNotice(null);
          if (!location.view) go(homeOf(s));
        }}
      />
    );
  }
  const view = location.view ?? homeOf(session);
  const Render = RENDER[view];
  return (
    <div className="shell">
      <header className="top">
        <h1>{t('title')}</h1>
        <nav aria-label={t('nav')}>
          {(Object.keys(VIEWS) as ViewName[])
            .filter((v) => mayOpen(session, v))
            .map((v) => (
              <a key={v} href={`#/${v}`} aria-current={v === view ? 'page' : undefined} data-testid={`nav-${v}`}>
                {t(v)}
              </a>
            ))}
        </nav>
        <div className="who">
          <label>
            <span className="sr-only">{t('language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as 'zh' | 'en')} data-testid="language">
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          <span className="user" data-testid="user">
            {session.username}
          </span>
          <button type="button" onClick={() => signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main>
        {mayOpen(session, view) ? (
          <Render session={session} rest={location.rest} />
        ) : (
          <section className="state error" role="alert" data-testid="refused">
            <p>{t('refused')}</p>
            <p>{t('refusedHint')}</p>
          </section>
        )}
      </main>
    </div>
  );
}
