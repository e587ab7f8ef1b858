// Historical reports (R13, R18) for supervisors and compliance controllers:
// a date range, a grouping (15 min to month) and a dimension (line, queue,
// topic, agency, region, operator); calls offered and service level over
// time, one bar per key, the tables, and each table as a CSV file.
// Figures and their definitions come from GET /api/v1/reports/intervals.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, token } from './api';
import { lang } from './i18n';
import { useStore } from './store';
import { fmtSeconds } from './format';
import { BarsByKey, OfferedAndServiceLevelChart } from './report_charts';

const words = {
  ru: {
    title: 'Отчёты', from: 'С', to: 'По (включительно)', by: 'Группировка', dimension: 'Разрез', show: 'Показать',
    b15m: '15 минут', bhour: 'час', bday: 'день', bweek: 'неделя', bmonth: 'месяц',
    dtotal: 'вся линия', dline: 'номер линии', dqueue: 'очередь', dtopic: 'тема', dagency: 'ведомство',
    dregion: 'регион', doperator: 'оператор',
    overTime: 'Вызовы и уровень обслуживания по времени', byKey: 'По разрезу', rows: 'Подробно: период × разрез',
    period: 'Период', key: 'Значение', offered: 'Поступило', answered: 'Отвечено', abandoned: 'Потеряно',
    shortAbandoned: 'Короткие сбросы', slAnswered: 'SL от отвеченных', slOffered: 'SL от поступивших',
    asa: 'Ср. ожидание', aht: 'Ср. обработка', transfers: 'Переводы', callbacks: 'Обратный звонок',
    ivr: 'Решено в IVR', repeat: 'Повторные', fcr: 'Решено с первого раза',
    csv: 'Скачать CSV', loading: 'Загрузка…', empty: 'За этот период вызовов нет.', total: 'Итого',
    note: 'SL: ответ за {t} с; сбросы короче {s} с не считаются потерянными. Решение с первого раза окончательно через 7 дней.',
  },
  en: {
    title: 'Reports', from: 'From', to: 'To (inclusive)', by: 'Group by', dimension: 'Dimension', show: 'Show',
    b15m: '15 minutes', bhour: 'hour', bday: 'day', bweek: 'week', bmonth: 'month',
    dtotal: 'whole line', dline: 'line number', dqueue: 'queue', dtopic: 'topic', dagency: 'agency',
    dregion: 'region', doperator: 'operator',
    overTime: 'Calls and service level over time', byKey: 'By dimension', rows: 'Detail: period × dimension',
    period: 'Period', key: 'Value', offered: 'Offered', answered: 'Answered', abandoned: 'Abandoned',
    shortAbandoned: 'Short abandons', slAnswered: 'SL of answered', slOffered: 'SL of offered',
    asa: 'ASA', aht: 'AHT', transfers: 'Transfers', callbacks: 'Callbacks',
    ivr: 'IVR-contained', repeat: 'Repeat contacts', fcr: 'First-contact resolution',
    csv: 'Download CSV', loading: 'Loading…', empty: 'No calls in this range.', total: 'Total',
    note: 'SL: answered within {t} s; hang-ups shorter than {s} s are not counted as abandoned. First-contact resolution is final after 7 days.',
  },
};
type Word = keyof typeof words.ru;
const w = (k: Word) => words[lang.get()][k];

const BUCKETS = ['15m', 'hour', 'day', 'week', 'month'] as const;
const DIMENSIONS = ['total', 'line', 'queue', 'topic', 'agency', 'region', 'operator'] as const;

function pct(v: any): string { return typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—'; }
function isoDay(d: Date): string { return d.toISOString().slice(0, 10); }
function addDays(day: string, n: number): string {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}
// A local date of the line as an instant: midnight at the line's offset.
function lineMidnight(day: string, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${day}T00:00:00${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
// "2026-12-01T09:00+03:00" -> "01.12 09:00" (15 min, hour) or "01.12.2026" (day and longer).
function periodLabel(local: string, by: string): string {
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-');
  if (by === '15m' || by === 'hour') return `${d}.${m} ${time.slice(0, 5)}`;
  if (by === 'month') return `${m}.${y}`;
  return `${d}.${m}.${y}`;
}

function Figures(props: { row: any }) {
  const r = props.row;
  return (
    <>
      <td data-col="offered">{r.offered}</td>
      <td data-col="answered">{r.answered}</td>
      <td data-col="abandoned">{r.abandoned}</td>
      <td data-col="short_abandoned">{r.short_abandoned}</td>
      <td data-col="service_level_answered">{pct(r.service_level_answered)}</td>
      <td data-col="service_level_offered">{pct(r.service_level_offered)}</td>
      <td data-col="asa">{fmtSeconds(r.asa_seconds)}</td>
      <td data-col="aht">{fmtSeconds(r.aht_seconds)}</td>
      <td data-col="transfers">{r.transfers}</td>
      <td data-col="callbacks">{r.callbacks_requested}</td>
      <td data-col="ivr_contained">{r.ivr_contained}</td>
      <td data-col="repeat">{r.repeat_contacts} ({pct(r.repeat_contact_rate)})</td>
      <td data-col="fcr">{pct(r.first_contact_resolution)}</td>
    </>
  );
}
function FigureHeads() {
  return (
    <>
      {(['offered', 'answered', 'abandoned', 'shortAbandoned', 'slAnswered', 'slOffered', 'asa', 'aht',
        'transfers', 'callbacks', 'ivr', 'repeat', 'fcr'] as Word[]).map((k) => <th key={k}>{w(k)}</th>)}
    </>
  );
}

export function ReportsScreen() {
  useStore(lang);
  const today = isoDay(new Date());
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<string>('day');
  const [dimension, setDimension] = useState<string>('queue');
  const [offset, setOffset] = useState(180);
  const [report, setReport] = useState<any>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const query = (extra = '') => `/reports/intervals?from=${encodeURIComponent(lineMidnight(from, offset))}` +
    `&to=${encodeURIComponent(lineMidnight(addDays(to, 1), offset))}&by=${by}&dimension=${dimension}${extra}`;

  const load = async () => {
    setBusy(true);
    setError('');
    try {
      const r = await api('GET', query());
      setReport(r);
      if (typeof r.utc_offset_minutes === 'number') setOffset(r.utc_offset_minutes);
    } catch (e) {
      setReport(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => { load(); }, []);

  // The CSV comes with the session's token, then is saved under the server's name.
  const download = async (table: string) => {
    setError('');
    const headers: Record<string, string> = {};
    const tok = token();
    if (tok) headers.Authorization = 'Bearer ' + tok;
    const res = await fetch('/api/v1' + query(`&format=csv&table=${table}`), { headers, credentials: 'same-origin' });
    if (!res.ok) { setError(`CSV: HTTP ${res.status}`); return; }
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `report-${table}.csv`;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };

  const overTime: any[] = report?.over_time ?? [];
  const byKey: any[] = report?.by_key ?? [];
  const rows: any[] = report?.rows ?? [];
  const shownBy = report?.by ?? by;
  return (
    <div data-testid="reports">
      <section class="card">
        <h2>{w('title')}</h2>
        <form class="row" data-testid="report-form" onSubmit={(e) => { e.preventDefault(); load(); }}>
          <label>{w('from')} <input type="date" data-testid="report-from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
          <label>{w('to')} <input type="date" data-testid="report-to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
          <label>{w('by')} <select data-testid="report-by" value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value)}>
            {BUCKETS.map((b) => <option key={b} value={b}>{w(('b' + b) as Word)}</option>)}
          </select></label>
          <label>{w('dimension')} <select data-testid="report-dimension" value={dimension} onChange={(e) => setDimension((e.target as HTMLSelectElement).value)}>
            {DIMENSIONS.map((d) => <option key={d} value={d}>{w(('d' + d) as Word)}</option>)}
          </select></label>
          <button type="submit" data-testid="report-show" disabled={busy}>{w('show')}</button>
        </form>
        {error && <p class="error" data-testid="report-error">{error}</p>}
        {busy && <p class="note">{w('loading')}</p>}
        {report && (
          <p class="note">{w('note').replace('{t}', String(report.service_level_threshold_seconds)).replace('{s}', String(report.short_abandon_seconds))}</p>
        )}
      </section>
      {report && (
        <>
          <section class="card" data-testid="report-over-time" data-by={shownBy} data-dimension={report.dimension}>
            <h2>{w('overTime')}</h2>
            {overTime.length === 0 ? <p class="note" data-testid="report-empty">{w('empty')}</p> : (
              <OfferedAndServiceLevelChart label={w('overTime')} offeredName={w('offered')} slName={w('slOffered')}
                points={overTime.map((r) => ({ label: periodLabel(r.start_local, shownBy), offered: r.offered, serviceLevel: r.service_level_offered }))} />
            )}
            <table data-testid="table-time">
              <thead><tr><th>{w('period')}</th><FigureHeads /></tr></thead>
              <tbody>
                {overTime.map((r) => (
                  <tr key={r.start} data-testid="time-row" data-start={r.start_local}>
                    <td>{periodLabel(r.start_local, shownBy)}</td><Figures row={r} />
                  </tr>
                ))}
                <tr data-testid="total-row"><th>{w('total')}</th><Figures row={report.total} /></tr>
              </tbody>
            </table>
            <button class="secondary" data-testid="csv-over_time" onClick={() => download('over_time')}>{w('csv')}</button>
          </section>
          {report.dimension !== 'total' && (
            <section class="card" data-testid="report-by-key">
              <h2>{w('byKey')}: {w(('d' + report.dimension) as Word)}</h2>
              <BarsByKey label={w('byKey')} bars={byKey.map((r) => ({ key: r.key, value: r.offered }))} />
              <table data-testid="table-keys">
                <thead><tr><th>{w('key')}</th><FigureHeads /></tr></thead>
                <tbody>
                  {byKey.map((r) => <tr key={r.key} data-testid="key-row" data-key={r.key}><td>{r.key}</td><Figures row={r} /></tr>)}
                </tbody>
              </table>
              <button class="secondary" data-testid="csv-by_key" onClick={() => download('by_key')}>{w('csv')}</button>
            </section>
          )}
          <section class="card" data-testid="report-rows">
            <h2>{w('rows')}</h2>
            <table data-testid="table-rows">
              <thead><tr><th>{w('period')}</th><th>{w('key')}</th><FigureHeads /></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.start + '|' + r.key} data-testid="detail-row" data-start={r.start_local} data-key={r.key}>
                    <td>{periodLabel(r.start_local, shownBy)}</td><td>{r.key || w('total')}</td><Figures row={r} />
                  </tr>
                ))}
              </tbody>
            </table>
            <button class="secondary" data-testid="csv-rows" onClick={() => download('rows')}>{w('csv')}</button>
          </section>
        </>
      )}
    </div>
  );
}
