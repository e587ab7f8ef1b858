// The operator desktop: my state (ready / not ready with a reason / wrap-up),
// the screen pop of the call I am on, the case of that call, transfer, and
// live updates (WebSocket, else polling every 2 s).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, asList, hasRoute, me, serverRoutes } from './api';
import { t, Key } from './i18n';
import { Duration, stateName } from './format';
import { useLive } from './live';
import { useStore } from './store';
import { CaseEditor, CaseJson, CaseTable, NewCaseForm } from './cases';
import { KnowledgePanel } from './knowledge';
import { topicName, useTopics } from './vocabulary';

const REASONS: [string, Key][] = [
  ['break', 'reasonBreak'], ['lunch', 'reasonLunch'], ['training', 'reasonTraining'],
  ['meeting', 'reasonMeeting'], ['other', 'reasonOther'],
];

interface OperatorJson { id?: string; name?: string; state?: string; reason?: string; since?: string; state_since?: string; }

export function Desktop() {
  const user = useStore(me)!;
  const id = encodeURIComponent(user.name);
  const [routes, setRoutes] = useState<Set<string> | null>(null);
  const [self, setSelf] = useState<OperatorJson | null>(null);
  const [pop, setPop] = useState<any>(null);
  const [reason, setReason] = useState('break');
  const [target, setTarget] = useState('');
  const [caseNumber, setCaseNumber] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<CaseJson[]>([]);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const topics = useTopics();  // the pop names the call's topic
  useEffect(() => { serverRoutes().then(setRoutes); }, []);
  const centre = routes != null && hasRoute(routes, 'POST /api/v1/operators/{}/state');

  const refresh = async () => {
    if (!routes || !centre) return;
    try {
      setSelf(await api<OperatorJson>('GET', `/operators/${id}`));
    } catch (e) {
      // 404: this login is not an operator in the configuration.
      setSelf(null);
      if (e instanceof ApiError) setError(e.message);
    }
    if (hasRoute(routes, 'GET /api/v1/operators/{}/call')) {
      try {
        const p = await api('GET', `/operators/${id}/call`);
        setPop(p && Object.keys(p).length ? p : null);
      } catch { setPop(null); }  // 404: no call now
    }
  };
  const mode = useLive(() => { refresh(); }, undefined);
  useEffect(() => { refresh(); }, [routes]);

  // The pop's case, or the caller's earlier cases.
  const caller = pop ? String(pop.caller ?? pop.phone ?? pop.from ?? '') : '';
  const callId = pop ? (pop.call ?? pop.call_id ?? pop.id) : undefined;
  useEffect(() => {
    // A new call brings its case; when the call ends its case stays open for wrap-up.
    if (callId !== undefined) setCaseNumber(pop?.case_number || pop?.case?.number || null);
    // The pop names earlier cases by number; the list needs their summaries.
    const fromPop = asList(pop?.earlier_cases ?? pop?.cases ?? []);
    if (fromPop.length && typeof fromPop[0] === 'object') { setEarlier(fromPop); return; }
    if (fromPop.length) {
      Promise.all(fromPop.slice(0, 10).map((n: string) => api<CaseJson>('GET', '/cases/' + encodeURIComponent(n)).catch(() => null)))
        .then((cs) => setEarlier(cs.filter((c): c is CaseJson => c !== null)));
      return;
    }
    // The server's list, even empty, is the answer: a lookup by phone would
    // also find the call's own case (an open one is taken over by the call).
    if (!caller || Array.isArray(pop?.earlier_cases)) { setEarlier([]); return; }
    api('GET', '/cases?limit=10&phone=' + encodeURIComponent(caller)).then((r) => setEarlier(asList(r))).catch(() => setEarlier([]));
  }, [callId, caller]);

  const setState = async (state: string) => {
    setError(''); setMessage('');
    try {
      await api('POST', `/operators/${id}/state`, state === 'not_ready' ? { state, reason } : { state });
      await refresh();
    } catch (e) { setError(e instanceof ApiError ? e.message : String(e)); }
  };
  const transfer = async (e: Event) => {
    e.preventDefault();
    if (!callId || !target.trim()) return;
    const value = target.trim();
    const body = value.startsWith('@') ? { operator: value.slice(1) } : { queue: value };
    try { await api('POST', `/calls/${encodeURIComponent(String(callId))}/transfer`, body); setMessage(t('transferred')); await refresh(); }
    catch (err) { setError(err instanceof ApiError ? err.message : String(err)); }
  };

  const state = self?.state ?? '';
  const since = self?.since ?? self?.state_since;
  const recording = pop?.recording_url ?? pop?.recording;
  return (
    <div class="grid">
      <section class="card" data-testid="operator-state">
        <h2>{t('myState')} <span class="note" data-testid="live-mode" data-mode={mode}>({t(mode === 'live' ? 'live' : 'polling')})</span></h2>
        {routes && !centre && <p class="note" data-testid="centre-missing">{t('centreMissing')}</p>}
        <p>{t('currentState')}: <span data-testid="my-state" data-state={state} class={'badge state-' + state}>{state ? stateName(state) : t('stateUnknown')}</span>
          {self?.reason && <> · {self.reason}</>}
          {since && <> · <Duration since={since} /></>}</p>
        <button data-testid="state-ready" disabled={!centre} onClick={() => setState('ready')}>{t('stateReady')}</button>
        <label for="nr-reason">{t('reason')}</label>
        <select id="nr-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          {REASONS.map(([v, k]) => <option key={v} value={v}>{t(k)}</option>)}
        </select>
        <button data-testid="state-not-ready" class="secondary" disabled={!centre} onClick={() => setState('not_ready')}>{t('stateNotReady')}</button>
        {/* More after-call work: the wrap-up then lasts until "Ready" (on a call: after it). */}
        {(state === 'on_call' || state === 'wrap_up') && (
          <button data-testid="state-wrap-up" class="secondary" disabled={!centre} onClick={() => setState('wrap_up')}>{t('stateHoldWrapUp')}</button>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        {message && <p>{message}</p>}
      </section>
      <section class={'card' + (pop ? ' pop' : '')} data-testid="screen-pop">
        <h2>{pop ? t('incomingCall') : t('noCall')}</h2>
        {pop && (
          <>
            <table><tbody>
              <tr><th>{t('caller')}</th><td data-testid="pop-caller">{caller || '—'}</td></tr>
              <tr><th>{t('region')}</th><td data-testid="pop-region">{pop.region_name ? `${pop.region_name} (${pop.region})` : (pop.region || pop.caller_region || '—')}</td></tr>
              <tr><th>{t('ivrPath')}</th><td data-testid="pop-ivr">{pop.ivr_path ? (Array.isArray(pop.ivr_path) ? pop.ivr_path : String(pop.ivr_path).split(/\s+/)).join(' → ') : '—'}</td></tr>
              <tr><th>{t('topic')}</th><td data-testid="pop-topic" title={pop.topic ?? ''}>{pop.topic ? topicName(topics, pop.topic) : '—'}</td></tr>
            </tbody></table>
            {recording && <p><a href={String(recording)} target="_blank" rel="noopener">{t('recording')}: {t('play')}</a></p>}
            <form onSubmit={transfer}>
              <label for="transfer-to">{t('transferTo')}</label>
              <input id="transfer-to" value={target} placeholder="queue / @operator" onInput={(e) => setTarget(e.currentTarget.value)} />
              <button type="submit" data-testid="transfer">{t('doTransfer')}</button>
            </form>
            <h2>{t('earlierCases')}</h2>
            <CaseTable items={earlier} />
          </>
        )}
      </section>
      <section class="card">
        {caseNumber
          ? <CaseEditor number={caseNumber} />
          : <NewCaseForm key={String(callId ?? 'none')} phone={caller} topic={pop?.topic} region={pop?.region ?? pop?.caller_region}
              onCreated={(c) => setCaseNumber(c.number)} />}
        {caseNumber && !pop && <button class="secondary" onClick={() => setCaseNumber(null)}>{t('newCase')}</button>}
      </section>
      <KnowledgePanel topic={pop?.topic} />
    </div>
  );
}
