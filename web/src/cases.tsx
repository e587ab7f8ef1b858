// Cases: the editor used on the desktop and in the case list (create, update
// topic/agency/summary, notes, status changes, escalation with its due time),
// and the search list.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, asList } from './api';
import { statusName, t } from './i18n';
import { navigate } from './router';
import { fmtTime } from './format';
import { topicName, useAgencies, useTopics } from './vocabulary';

export interface CaseJson {
  number: string; phone: string; channel: string; topic: string; agency: string; region: string;
  priority: string; status: string; summary: string; created_at: string; updated_at: string;
  due_at: string | null; version: number; allowed_transitions?: string[];
  history?: { seq: number; at: string; actor: string; action: string; detail: string }[];
  links?: { kind: string; ref: string; at: string }[];
}

const errText = (e: unknown) => (e instanceof ApiError ? `${e.message}${e.field ? ` (${e.field})` : ''}` : String(e));

// A drop-down of configured ids by name; a current value that is no longer
// configured (an imported case) stays shown as its id, so nothing is lost.
function VocabularySelect(props: {
  id: string; value: string; items: { id: string; name: string }[]; onChange: (v: string) => void;
  required?: boolean;
}) {
  const known = props.items.some((x) => x.id === props.value);
  return (
    <select id={props.id} value={props.value} required={props.required}
      onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">—</option>
      {props.value && !known && <option value={props.value}>{props.value}</option>}
      {props.items.map((x) => <option key={x.id} value={x.id} title={x.id}>{x.name}</option>)}
    </select>
  );
}

// Topic and agency pickers; choosing a topic fills in its default agency while
// the agency is still empty. A new case requires a topic, and one prefilled
// from the pop gets its agency too; a saved case's empty agency stays as is
// until the operator picks.
function TopicAgencyFields(props: {
  prefix: string; topic: string; agency: string; setTopic: (v: string) => void; setAgency: (v: string) => void;
  isNew?: boolean;
}) {
  const topics = useTopics();
  const agencies = useAgencies();
  const pickTopic = (v: string) => {
    props.setTopic(v);
    const preset = topics.find((tp) => tp.id === v)?.agency;
    if (!props.agency && preset) props.setAgency(preset);
  };
  useEffect(() => {  // once the topics arrive
    const preset = topics.find((tp) => tp.id === props.topic)?.agency;
    if (props.isNew && !props.agency && preset) props.setAgency(preset);
  }, [topics.length]);
  return (
    <>
      <label for={props.prefix + '-topic'}>{t('topic')}</label>
      <VocabularySelect id={props.prefix + '-topic'} value={props.topic} items={topics} onChange={pickTopic}
        required={props.isNew} />
      <label for={props.prefix + '-agency'}>{t('agency')}</label>
      <VocabularySelect id={props.prefix + '-agency'} value={props.agency} items={agencies} onChange={props.setAgency} />
    </>
  );
}

// A new case, prefilled from a call's screen pop when there is one.
export function NewCaseForm(props: { phone?: string; topic?: string; region?: string; onCreated: (c: CaseJson) => void }) {
  const [phone, setPhone] = useState(props.phone ?? '');
  const [topic, setTopic] = useState(props.topic ?? '');
  const [agency, setAgency] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const body: Record<string, string> = { phone, channel: 'call', topic, summary };
    if (agency) body.agency = agency;
    if (props.region) body.region = props.region;
    try { props.onCreated(await api<CaseJson>('POST', '/cases', body)); } catch (err) { setError(errText(err)); }
  };
  return (
    <form onSubmit={submit} data-testid="new-case-form">
      <h2>{t('newCase')}</h2>
      <label for="nc-phone">{t('phone')}</label>
      <input id="nc-phone" value={phone} required onInput={(e) => setPhone(e.currentTarget.value)} />
      <TopicAgencyFields prefix="nc" topic={topic} agency={agency} setTopic={setTopic} setAgency={setAgency} isNew />
      <label for="nc-summary">{t('summary')}</label>
      <textarea id="nc-summary" value={summary} rows={3} onInput={(e) => setSummary(e.currentTarget.value)} />
      <button type="submit" data-testid="create-case">{t('create')}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

export function CaseEditor(props: { number: string }) {
  const [c, setCase] = useState<CaseJson | null>(null);
  const [topic, setTopic] = useState('');
  const [agency, setAgency] = useState('');
  const [summary, setSummary] = useState('');
  const [note, setNote] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');

  const show = (x: CaseJson) => {
    setCase(x); setTopic(x.topic); setAgency(x.agency); setSummary(x.summary);
    setTo(x.allowed_transitions?.[0] ?? '');
  };
  const load = () => api<CaseJson>('GET', '/cases/' + encodeURIComponent(props.number)).then(show).catch((e) => setError(errText(e)));
  useEffect(() => { setError(''); setMessage(''); load(); }, [props.number]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(''); setMessage('');
    try { await fn(); await load(); setMessage(t('saved')); } catch (e) { setError(errText(e)); await load(); }
  };
  if (!c) return error ? <p class="error">{error}</p> : <p class="note">{t('loading')}</p>;
  const base = '/cases/' + encodeURIComponent(c.number);
  return (
    <div data-testid="case-editor">
      <h2>{t('caseForm')} <span data-testid="case-number">{c.number}</span> <span class={'badge'} data-testid="case-status">{statusName(c.status)}</span></h2>
      <p class="note">{t('phone')}: {c.phone} · {t('region')}: {c.region || '—'} · {t('created')}: {fmtTime(c.created_at)}
        {c.due_at && <> · <b>{t('dueAt')}: <span data-testid="case-due">{fmtTime(c.due_at)}</span></b></>}</p>
      <form onSubmit={(e) => { e.preventDefault(); act(() => api('PATCH', base, { topic, agency, summary, version: c.version })); }}>
        <TopicAgencyFields prefix="ce" topic={topic} agency={agency} setTopic={setTopic} setAgency={setAgency} />
        <label for="ce-summary">{t('summary')}</label>
        <textarea id="ce-summary" rows={3} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
        <button type="submit" data-testid="case-save">{t('save')}</button>
      </form>
      <form onSubmit={(e) => { e.preventDefault(); act(() => api('POST', base + '/notes', { text: note }).then(() => setNote(''))); }}>
        <label for="ce-note">{t('notes')}</label>
        <textarea id="ce-note" rows={2} value={note} required onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit" data-testid="case-add-note">{t('addNote')}</button>
      </form>
      {(c.allowed_transitions?.length ?? 0) > 0 && (
        <form onSubmit={(e) => { e.preventDefault(); act(() => api('POST', base + '/transitions', { to, reason, version: c.version })); }}>
          <label for="ce-to">{t('status')}</label>
          <select id="ce-to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            {c.allowed_transitions!.map((s) => <option key={s} value={s}>{statusName(s)}</option>)}
          </select>
          <label for="ce-reason">{t('reasonForChange')}</label>
          <input id="ce-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" data-testid="case-transition">{t('changeStatus')}</button>
          {c.allowed_transitions!.includes('escalated') && (
            <button type="button" class="secondary" data-testid="case-escalate"
              onClick={() => act(() => api('POST', base + '/transitions', { to: 'escalated', reason, version: c.version }))}>{t('escalate')}</button>
          )}
        </form>
      )}
      {message && <p data-testid="case-message">{message}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <Recordings number={c.number} links={c.links ?? []} />
      <h2>{t('history')}</h2>
      <table><tbody>
        {(c.history ?? []).slice().reverse().map((h) => (
          <tr key={h.seq}><td>{fmtTime(h.at)}</td><td>{h.actor}</td><td>{h.action}</td><td>{h.detail}</td></tr>
        ))}
      </tbody></table>
    </div>
  );
}

// The case's call recordings, playable inline (same origin: the session
// cookie authorises the request) and as a link; nothing without recordings.
function Recordings(props: { number: string; links: { kind: string; ref: string }[] }) {
  const recordings = props.links.filter((l) => l.kind === 'recording');
  if (recordings.length === 0) return null;
  return (
    <div data-testid="case-recordings">
      <h2>{t('recording')}</h2>
      {recordings.map((l, i) => {
        const src = `/api/v1/cases/${encodeURIComponent(props.number)}/recordings/${i + 1}`;
        return (
          <p key={l.ref}>
            <audio controls preload="none" src={src} data-testid="case-recording-audio" />{' '}
            <a href={src} target="_blank" rel="noopener">{t('play')} {i + 1}</a>
          </p>
        );
      })}
    </div>
  );
}

export function CaseTable(props: { items: CaseJson[] }) {
  const topics = useTopics();
  if (props.items.length === 0) return <p class="note" data-testid="no-cases">{t('noCases')}</p>;
  return (
    <table data-testid="case-list">
      <thead><tr><th>{t('caseNumber')}</th><th>{t('created')}</th><th>{t('phone')}</th><th>{t('topic')}</th><th>{t('status')}</th><th>{t('summary')}</th></tr></thead>
      <tbody>
        {props.items.map((c) => (
          <tr key={c.number}>
            <td><a href={'/app/cases/' + c.number} onClick={(e) => { e.preventDefault(); navigate('/app/cases/' + c.number); }}>{c.number}</a></td>
            <td>{fmtTime(c.created_at)}</td><td>{c.phone}</td><td title={c.topic}>{topicName(topics, c.topic)}</td><td>{statusName(c.status)}</td><td>{c.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATUSES = ['new', 'in_progress', 'escalated', 'waiting_citizen', 'resolved', 'closed'];

export function CasesScreen(props: { number?: string }) {
  const [phone, setPhone] = useState('');
  const [status, setStatus] = useState('');
  const [items, setItems] = useState<CaseJson[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const search = async (more = false) => {
    setError('');
    const q = new URLSearchParams({ limit: '50' });
    if (phone.trim()) q.set('phone', phone.trim());
    if (status) q.set('status', status);
    if (more && cursor) q.set('cursor', cursor);
    try {
      const page = await api<{ items: CaseJson[]; next_cursor: string | null }>('GET', '/cases?' + q.toString());
      setItems(more && items ? [...items, ...asList(page)] : asList(page));
      setCursor(page.next_cursor);
    } catch (e) { setError(errText(e)); }
  };
  useEffect(() => { if (!props.number) search(); }, [props.number]);
  if (props.number) {
    return <section class="card"><CaseEditor number={props.number} /></section>;
  }
  return (
    <section class="card">
      <h2>{t('navCases')}</h2>
      <form class="grid" onSubmit={(e) => { e.preventDefault(); search(); }} data-testid="case-search">
        <div><label for="cs-phone">{t('searchPhone')}</label>
          <input id="cs-phone" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} /></div>
        <div><label for="cs-status">{t('status')}</label>
          <select id="cs-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">{t('anyStatus')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusName(s)}</option>)}
          </select></div>
        <div><button type="submit" data-testid="case-search-submit">{t('search')}</button></div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {items && <CaseTable items={items} />}
      {cursor && <button class="secondary" onClick={() => search(true)}>{t('more')}</button>}
    </section>
  );
}
