// Topic ids and names for pickers, from the public status document (the
// configuration's topics); empty when the server does not publish it.
import { useEffect, useState } from 'preact/hooks';
import { asList } from './api';
import { lang } from './i18n';

export interface Topic { id: string; name: string }

let cache: Promise<any> | null = null;
export function publicStatus(fresh = false): Promise<any> {
  if (fresh || !cache) {
    cache = fetch('/api/v1/public/status', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))));
    cache.catch(() => { cache = null; });
  }
  return cache;
}

// A name in the current language from "x" or {ru: "x", en: "y"}.
export function localName(v: any): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return v[lang.get()] ?? v.ru ?? Object.values(v)[0] ?? '';
  return String(v);
}

export function useTopics(): Topic[] {
  const [topics, setTopics] = useState<Topic[]>([]);
  useEffect(() => {
    publicStatus().then((s) => setTopics(asList(s, 'topics').map((x: any) => ({
      id: String(x.id ?? x.topic ?? ''), name: localName(x.names ?? x.name ?? x.title),
    })).filter((x) => x.id))).catch(() => setTopics([]));
  }, []);
  return topics;
}
