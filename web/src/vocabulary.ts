// Topic and agency ids and names for pickers and lists, from the public status
// document (the configuration's topics and agencies); empty when the server
// does not publish it. Names follow the language switch.
import { useEffect, useState } from 'preact/hooks';
import { asList } from './api';
import { lang } from './i18n';
import { useStore } from './store';

export interface Topic { id: string; name: string; agency: string }
export interface Agency { id: string; name: string }

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

// The status document's list under `key`, fetched once (cached), mapped
// on every render so that a language switch renames at once.
function useStatusList<T>(key: string, map: (x: any) => T | null): T[] {
  useStore(lang);
  const [raw, setRaw] = useState<any[]>([]);
  useEffect(() => {
    publicStatus().then((s) => setRaw(asList(s, key))).catch(() => setRaw([]));
  }, []);
  return raw.map(map).filter((x): x is T => x !== null);
}

export function useTopics(): Topic[] {
  return useStatusList<Topic>('topics', (x) => {
    const id = String(x?.id ?? x?.topic ?? '');
    return id ? { id, name: localName(x.names ?? x.name ?? x.title), agency: String(x.agency ?? '') } : null;
  });
}

export function useAgencies(): Agency[] {
  return useStatusList<Agency>('agencies', (x) => {
    const id = String(x?.id ?? '');
    return id ? { id, name: localName(x.names ?? x.name) || id } : null;
  });
}

// The name of a topic id in the current language; the id itself when unknown.
export function topicName(topics: Topic[], id: string | undefined | null): string {
  if (!id) return '';
  return topics.find((tp) => tp.id === id)?.name || id;
}
