import { createContext, ReactNode, useContext, useState } from 'react';

export type Lang = 'zh' | 'en';
/** A view's own words: the same keys in both languages (the type makes a missing one an error). */
export type Dictionary<K extends string> = Record<Lang, Record<K, string>>;

const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'zh', setLang: () => undefined });
const KEY = 'o2o.console.lang';

/** Chinese unless the user chose English (remembered on this device). */
export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh'));
  const setLang = (l: Lang) => {
    localStorage.setItem(KEY, l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLangState(l);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);

/** t('key', { n: 3 }) in the current language; {n} in the text is replaced. */
export function useT<K extends string>(dictionary: Dictionary<K>): (key: K, vars?: Record<string, string | number>) => string {
  const { lang } = useLang();
  return (key, vars) => {
    let text = dictionary[lang][key];
    for (const [name, value] of Object.entries(vars ?? {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  };
}
