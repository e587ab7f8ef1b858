// Shared formatting: durations, operator states.
import { useEffect, useState } from 'preact/hooks';
import { Key, lang, t } from './i18n';

// 42 -> "42 с", 125 -> "2:05", 3725 -> "1:02:05".
export function fmtSeconds(s: number | null | undefined): string {
  if (s == null || !isFinite(s)) return '—';
  const v = Math.max(0, Math.round(s));
  const two = (n: number) => String(n).padStart(2, '0');
  if (v < 60) return `${v} ${t('seconds')}`;
  if (v < 3600) return `${Math.floor(v / 60)}:${two(v % 60)}`;
  return `${Math.floor(v / 3600)}:${two(Math.floor(v / 60) % 60)}:${two(v % 60)}`;
}

// Dates in the reader's language.
export function fmtTime(iso?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '—' : d.toLocaleString(lang.get() === 'ru' ? 'ru-RU' : 'en-GB');
}

// Time since an instant, ticking every second.
export function Duration(props: { since: string }) {
  const [, tick] = useState(0);
  useEffect(() => { const h = window.setInterval(() => tick((n) => n + 1), 1000); return () => window.clearInterval(h); }, []);
  const at = new Date(props.since).getTime();
  // The epoch (or nothing) means "never changed since start": no duration to show.
  return <span>{isFinite(at) && at > 0 ? fmtSeconds((Date.now() - at) / 1000) : '—'}</span>;
}

export function stateKey(state: string): Key | null {
  const s = state.toLowerCase();
  if (s === 'ready' || s === 'available' || s === 'idle') return 'stateReady';
  if (s === 'not_ready' || s === 'notready' || s === 'away' || s === 'paused') return 'stateNotReady';
  if (s === 'wrap_up' || s === 'wrapup' || s === 'after_call') return 'stateWrapUp';
  if (s === 'on_call' || s === 'talking') return 'stateOnCall';
  if (s === 'ringing') return 'stateRinging';
  if (s === 'logged_out') return 'stateLoggedOut';
  if (s === 'logged_in') return 'stateLoggedIn';
  return null;
}
export const stateName = (s: string) => { const k = stateKey(s); return k ? t(k) : s; };

