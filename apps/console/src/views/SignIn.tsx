import { FormEvent, useState } from 'react';
import { ApiError, Session } from '../api';
import { ErrorState } from '../components/states';
import { Dictionary, useLang, useT } from '../i18n';
import { signIn } from '../session';

const words: Dictionary<'title' | 'username' | 'password' | 'submit' | 'wrong' | 'busy'> = {
  zh: { title: 'O2O Home 运营台登录', username: '用户名', password: '密码', submit: '登录', wrong: '用户名或密码不正确。', busy: '登录中…' },
  en: {
    title: 'Sign in to the O2O Home console',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'Wrong username or password.',
    busy: 'Signing in…',
  },
};

export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const t = useT(words);
  const { lang, setLang } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const wrong = error instanceof ApiError && (error.status === 401 || error.status === 400);
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('title')}</h1>
        {notice ? (
          <p className="state" role="status">
            {notice}
          </p>
        ) : null}
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('busy') : t('submit')}
        </button>
        {wrong ? (
          <p className="state error" role="alert">
            {t('wrong')}
          </p>
        ) : error ? (
          <ErrorState error={error} />
        ) : null}
        <p className="lang-switch">
          <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </p>
      </form>
    </main>
  );
}
