// The supervisor wallboard: per queue the calls waiting, longest and
// estimated wait, operators by state, service level over 15 min and today,
// abandoned; per operator the state and the time in it; alarms; a chart of
// waiting calls. Live over the WebSocket, else polled every 2 s. The service
// level and the day's counts come with every queue (statistics), so a push
// moves them at once; the report route is only for a server without them.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, asList, hasRoute, serverRoutes } from './api';
import { t } from './i18n';
import { useLive } from './live';
import { LineChart } from './chart';
import { Duration, fmtSeconds, stateName } from './format';

// The first of `names` that holds a number of seconds, else null.
function secs(q: any, ...names: string[]): number | null {
  for (const n of names) if (typeof q?.[n] === 'number') return q[n];
  return null;
}

function pct(v: any): string {
  if (typeof v !== 'number') return '—';
  return `${Math.round(v <= 1 ? v * 100 : v)}%`;
}

const HISTORY = 30;

// A queue's figure for 'window' (last 15 min) or 'today': from the queue's own
// statistics (pushed with every change), else from the call-record report.
function figure(q: any, report: Map<string, any>, period: 'window' | 'today', name: string): any {
  const own = q?.statistics?.[period]?.[name];
  return own !== undefined ? own : report.get(String(q.id))?.[name];
}

// The total waiting over all queues, plus each queue that had callers waiting
// (eleven flat lines at zero would hide the one that matters).
function chartSeries(history: Map<string, number[]>): { name: string; points: number[] }[] {
  const lists = [...history.entries()];
  const length = Math.max(0, ...lists.map(([, p]) => p.length));
  const total = Array.from({ length }, (_, i) => lists.reduce((sum, [, p]) => sum + (p[i - (length - p.length)] ?? 0), 0));
  return [{ name: t('waiting'), points: total },
    ...lists.filter(([, p]) => p.some((v) => v > 0)).slice(0, 5).map(([name, points]) => ({ name, points }))];
}

export function Wallboard() {
  const [routes, setRoutes] = useState<Set<string> | null>(null);
  const [queues, setQueues] = useState<any[] | null>(null);
  const [operators, setOperators] = useState<any[]>([]);
  const [alarms, setAlarms] = useState<any[]>([]);
  // R13: the corrective-action rules of the snapshot; the active ones are shown.
  const [corrective, setCorrective] = useState<any[]>([]);
  const [error, setError] = useState('');
  const [pushes, setPushes] = useState(0);  // wallboard messages received over the WebSocket
  const history = useRef<Map<string, number[]>>(new Map());
  const [, bump] = useState(0);
  useEffect(() => { serverRoutes().then(setRoutes); }, []);

  const showQueues = (list: any[]) => {
    setQueues(list);
    for (const q of list) {
      const name = String(q.id ?? q.name);
      const h = history.current.get(name) ?? [];
      h.push(Number(q.waiting ?? q.calls_waiting ?? 0));
      history.current.set(name, h.slice(-HISTORY));
    }
    bump((n) => n + 1);
  };
  // A wallboard message: the centre's snapshot {queues, operators} and/or alarms.
  const onMessage = (msg: any): boolean => {
    const data = msg?.data;
    if (!data || typeof data !== 'object') return false;
    if (msg.topic === 'wallboard') setPushes((n) => n + 1);
    if (Array.isArray(data.alarms)) setAlarms(data.alarms);
    if (Array.isArray(data.queues)) showQueues(data.queues);
    if (Array.isArray(data.operators)) setOperators(data.operators);
    if (Array.isArray(data.corrective)) setCorrective(data.corrective);
    return Array.isArray(data.queues) || Array.isArray(data.alarms);
  };
  const refresh = async () => {
    if (!routes) return;
    setError('');
    try {
      if (hasRoute(routes, 'GET /api/v1/queues')) {
        const r = await api('GET', '/queues');
        showQueues(asList(r, 'queues'));
        if (Array.isArray(r?.alarms)) setAlarms(r.alarms);
      }
      if (hasRoute(routes, 'GET /api/v1/operators')) setOperators(asList(await api('GET', '/operators'), 'operators'));
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); }
  };
  // Service level and abandoned calls over the last 15 min and today, per
  // queue, from the call records (they change slowly: every 15 s is enough).
  const [report, setReport] = useState<{ window: Map<string, any>; today: Map<string, any> }>({ window: new Map(), today: new Map() });
  useEffect(() => {
    if (!routes || !hasRoute(routes, 'GET /api/v1/reports/summary')) return;
    const byQueue = async (from: Date, to: Date) => {
      const q = new URLSearchParams({ from: from.toISOString().replace(/\.\d+Z$/, 'Z'), to: to.toISOString().replace(/\.\d+Z$/, 'Z'), group_by: 'queue' });
      const r = await api('GET', '/reports/summary?' + q.toString());
      return new Map<string, any>(asList(r, 'groups').map((g: any) => [String(g.key), g]));
    };
    const load = async () => {
      const now = new Date();
      const to = new Date(now.getTime() + 60000);
      const midnight = new Date(now); midnight.setHours(0, 0, 0, 0);
      try {
        setReport({ window: await byQueue(new Date(now.getTime() - 15 * 60000), to), today: await byQueue(midnight, to) });
      } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); }
    };
    load();
    const h = window.setInterval(load, 15000);
    return () => window.clearInterval(h);
  }, [routes]);
  const mode = useLive(() => { refresh(); }, onMessage);
  useEffect(() => { refresh(); }, [routes]);

  const byState = (q: any): string => {
    const m = q.operators_by_state ?? q.operators;
    if (m && typeof m === 'object' && !Array.isArray(m)) {
      return Object.entries(m).filter(([, v]) => v).map(([k, v]) => `${stateName(k)}: ${v}`).join(', ') || '0';
    }
    return '—';
  };
  return (
    <>
      <section class="card" data-testid="wallboard">
        <h2>{t('wallboard')} <span class="note" data-testid="live-mode" data-mode={mode} data-pushes={pushes}>({t(mode === 'live' ? 'live' : 'polling')})</span></h2>
        {routes && !hasRoute(routes, 'GET /api/v1/queues') && <p class="note" data-testid="queues-missing">{t('queuesMissing')}</p>}
        {error && <p class="error">{error}</p>}
        {queues && (
          <table data-testid="queue-table">
            <thead><tr><th>{t('queue')}</th><th>{t('waiting')}</th><th>{t('longestWait')}</th><th>{t('estimatedWait')}</th>
              <th>{t('operatorsByState')}</th><th>{t('serviceLevel15')}</th><th>{t('serviceLevelToday')}</th>
              <th>{t('offered')}</th><th>{t('answered')}</th><th>{t('abandoned')}</th></tr></thead>
            <tbody>
              {queues.map((q) => (
                <tr key={String(q.id ?? q.name)} data-testid="queue-row" data-queue={String(q.id ?? q.name)}>
                  <td>{String(q.name ?? q.id)}{q.centre ? <span class="note"> · {q.centre}</span> : null}</td>
                  <td class="figure" data-testid="queue-waiting">{String(q.waiting ?? q.calls_waiting ?? 0)}</td>
                  <td>{fmtSeconds(secs(q, 'longest_wait_seconds', 'longest_wait_s', 'longest_wait'))}</td>
                  <td>{fmtSeconds(secs(q, 'estimated_wait_seconds', 'estimated_wait_s', 'estimated_wait'))}</td>
                  <td>{byState(q)}</td>
                  <td data-testid="queue-sl-15">{pct(figure(q, report.window, 'window', 'service_level'))}</td>
                  <td data-testid="queue-sl-today">{pct(figure(q, report.today, 'today', 'service_level'))}</td>
                  <td data-testid="queue-offered">{String(figure(q, report.today, 'today', 'offered') ?? 0)}</td>
                  <td data-testid="queue-answered">{String(figure(q, report.today, 'today', 'answered') ?? 0)}</td>
                  <td data-testid="queue-abandoned">{String(figure(q, report.today, 'today', 'abandoned') ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div class="grid">
        <section class="card">
          <h2>{t('chartTitle')}</h2>
          <LineChart label={t('chartTitle')} series={chartSeries(history.current)} />
        </section>
        <section class="card" data-testid="alarms">
          <h2>{t('alarms')}</h2>
          {alarms.length === 0 ? <p class="note">{t('noAlarms')}</p> :
            alarms.map((a, i) => <div class="alarm" key={i}>{typeof a === 'string' ? a : (a.message ?? JSON.stringify(a))}</div>)}
        </section>
        <section class="card" data-testid="corrective">
          <h2>{t('corrective')}</h2>
          {corrective.filter((c) => c.active).length === 0 ? <p class="note">{t('noCorrective')}</p> :
            corrective.filter((c) => c.active).map((c) => (
              <div class="alarm" key={String(c.rule)}>
                <strong>{String(c.rule)}</strong> · {String(c.figure)} {c.queue ? String(c.queue) : ''} {c.value ?? ''} / {String(c.threshold)}
                {c.since ? <> · {t('correctiveSince')} {new Date(c.since).toLocaleTimeString()}</> : null}
                <div class="note">{(c.actions ?? []).join('; ')}</div>
              </div>))}
        </section>
      </div>
      <section class="card">
        <h2>{t('operator')}</h2>
        <table data-testid="operator-table">
          <thead><tr><th>{t('operator')}</th><th>{t('state')}</th><th>{t('timeInState')}</th></tr></thead>
          <tbody>
            {operators.map((o) => {
              const since = o.since ?? o.state_since;
              return (
                <tr key={String(o.id ?? o.login ?? o.name)}>
                  <td>{String(o.display_name ?? o.name ?? o.id)}</td>
                  <td><span class={'badge state-' + o.state}>{stateName(String(o.state ?? ''))}</span>{o.reason ? ` · ${o.reason}` : ''}</td>
                  <td>{since ? <Duration since={since} /> : fmtSeconds(secs(o, 'seconds_in_state', 'time_in_state_s'))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
