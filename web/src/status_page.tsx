// The public status page (R3), no sign-in: open or closed, estimated wait per
// topic, hours, questions solved by phone. From GET /api/v1/public/status,
// refreshed every 30 s.
import { useEffect, useState } from 'preact/hooks';
import { asList } from './api';
import { lang, t } from './i18n';
import { fmtSeconds, fmtTime } from './format';
import { useStore } from './store';
import { localName, publicStatus } from './vocabulary';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// {weekly: [{day, open, close}], open_on_holidays} -> "пн–пт 09:00–18:00; сб, вс выходной".
export function hoursText(h: any): string {
  const weekly = asList(h?.weekly);
  if (!weekly.length) return typeof h === 'string' ? h : '';
  const names = t('days').split(',');
  const span = (d: any) => (d.open == null ? t('dayOff') : `${d.open}–${d.close}`);
  if (weekly.every((d: any) => d.open === '00:00' && d.close === '24:00')) return t('around');
  const groups: { from: number; to: number; text: string }[] = [];
  for (const d of weekly) {
    const i = DAYS.indexOf(d.day);
    const text = span(d);
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.to === i - 1) last.to = i;
    else groups.push({ from: i, to: i, text });
  }
  const days = (g: { from: number; to: number }) => (g.from === g.to ? names[g.from] : `${names[g.from]}–${names[g.to]}`);
  const parts = groups.map((g) => `${days(g)} ${g.text}`);
  if (h.open_on_holidays === false) parts.push(t('holidaysClosed'));
  return parts.join('; ');
}

export function StatusPage() {
  useStore(lang);
  const [status, setStatus] = useState<any>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const load = () => publicStatus(true).then((s) => { setStatus(s); setFailed(false); }).catch(() => setFailed(true));
    load();
    const h = window.setInterval(load, 30000);
    return () => window.clearInterval(h);
  }, []);
  if (failed && !status) return <section class="card" data-testid="status-page"><h2>{t('lineStatus')}</h2><p class="error" data-testid="status-unavailable">{t('statusUnavailable')}</p></section>;
  if (!status) return <p class="note">{t('loading')}</p>;
  const open = !!status.open;
  const topics = asList(status, 'topics');
  const questions = asList(status, 'phone_questions');
  const numbers = asList(status, 'numbers');
  return (
    <section class="card" data-testid="status-page">
      <h2>{t('lineStatus')}</h2>
      <p class={'figure ' + (open ? 'open' : 'closed')} data-testid="line-open" data-open={String(open)}>{open ? t('lineOpen') : t('lineClosed')}</p>
      {!open && status.next_open && <p>{t('nextOpen')}: {fmtTime(status.next_open)}</p>}
      {numbers.length > 0 && <p>{t('numbers')}: {numbers.map((n: string) => <span key={n} class="badge">{n}</span>)}</p>}
      {topics.length > 0 && (
        <>
          <h2>{t('waitPerTopic')}</h2>
          <table data-testid="status-topics">
            <thead><tr><th>{t('topic')}</th><th></th><th>{t('estimatedWait')}</th><th>{t('hours')}</th></tr></thead>
            <tbody>
              {topics.map((x: any) => (
                <tr key={String(x.id)} data-testid="status-topic">
                  <td>{localName(x.names ?? x.name ?? x.id)}</td>
                  <td class={x.open === false ? 'closed' : 'open'}>{x.open === false ? t('closed') : t('open')}</td>
                  <td>{fmtSeconds(typeof x.estimated_wait_seconds === 'number' ? x.estimated_wait_seconds : null)}</td>
                  <td>{hoursText(x.hours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {questions.length > 0 && (
        <>
          <h2>{t('solvedByPhone')}</h2>
          <ul data-testid="status-questions">{questions.map((q: any, i: number) => <li key={i}>{localName(q.names ?? q.name ?? q.topic)}</li>)}</ul>
        </>
      )}
      {status.generated_at && <p class="note">{t('updated')}: {fmtTime(status.generated_at)}</p>}
    </section>
  );
}
