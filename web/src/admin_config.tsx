// The line's configuration for the administrator: numbers, hours,
// holidays, queues, operators' skills, overflow rules, the IVR and the block
// list. Each area is shown readably (tables; the IVR as YAML) and edited with
// forms or as YAML text. "Check" asks the server to validate the change as
// `gosline check-config` does; "Save" applies it without a restart. Problems
// come back with their line (in the submitted text when it was YAML); a 409
// means someone else saved first, so the area is reloaded before editing again.
import { useEffect, useState } from 'preact/hooks';
import { token } from './api';
import { Key, t } from './i18n';

interface Area {
  id: string;
  title: string;
  view: 'table' | 'yaml';
  version: string;
  value: any;
  yaml: string;
}

interface EditError {
  line: number;
  column: number;
  message: string;
  area_line?: number;
  area_column?: number;
}

// Like api() but keeps the body of 4xx answers: a 422 lists every problem.
async function send(method: string, path: string, body?: unknown): Promise<{ status: number; payload: any }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const tok = token();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1/admin/config' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let payload: any = null;
  try { payload = await res.json(); } catch { payload = null; }
  return { status: res.status, payload };
}

const areaTitle = (a: Area) => t(('cfgArea_' + a.id) as Key) ?? a.title;
const clone = (v: any) => JSON.parse(JSON.stringify(v ?? null));
const list = (v: any): any[] => (Array.isArray(v) ? v : []);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function Empty() { return <p class="note">{t('cfgEmpty')}</p>; }

function Table(props: { head: string[]; rows: any[][]; testid?: string }) {
  if (!props.rows.length) return <Empty />;
  return (
    <table data-testid={props.testid}>
      <thead><tr>{props.head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
      <tbody>{props.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
    </table>
  );
}

const skillsText = (s: any) => Object.entries(s ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
const join = (v: any) => list(v).join(', ');

function weeklyText(w: any): string {
  if (typeof w === 'string') return w;
  const names = t('days').split(',');
  return DAYS.map((d, i) => `${names[i] ?? d} ${w?.[d] ?? '—'}`).join('; ');
}

// The readable view of an area's value.
function AreaView(props: { area: Area }) {
  const { area } = props;
  const v = area.value;
  switch (area.id) {
    case 'numbers':
      return <Table testid="cfg-view-numbers" head={[t('cfgNumber')]} rows={list(v).map((n) => [n])} />;
    case 'block_list':
      return (
        <div class="grid">
          <div><h3>{t('cfgBlocked')}</h3><Table testid="cfg-view-block" head={[t('cfgNumber')]} rows={list(v?.block).map((n) => [n])} /></div>
          <div><h3>{t('cfgAllowed')}</h3><Table testid="cfg-view-allow" head={[t('cfgNumber')]} rows={list(v?.allow).map((n) => [n])} /></div>
        </div>
      );
    case 'holidays':
      return (
        <div class="grid">
          <div><h3>{t('cfgDates')}</h3><Table testid="cfg-view-dates" head={[t('cfgDate')]} rows={list(v?.dates).map((d) => [d])} /></div>
          <div><h3>{t('cfgWorkingDays')}</h3><Table head={[t('cfgDate')]} rows={list(v?.working_days).map((d) => [d])} /></div>
        </div>
      );
    case 'hours':
      return <Table head={[t('cfgId'), t('cfgHours'), t('cfgOpenOnHolidays')]}
        rows={list(v).map((h) => [h.id, weeklyText(h.weekly), h.open_on_holidays ? '✓' : ''])} />;
    case 'queues':
      return <Table testid="cfg-view-queues" head={[t('cfgId'), t('topic'), t('cfgCentre'), t('cfgHours')]}
        rows={list(v).map((q) => [q.id, q.topic, q.centre, q.hours ?? ''])} />;
    case 'skills':
      return <Table testid="cfg-view-skills" head={[t('cfgId'), t('cfgName'), t('cfgCentre'), t('cfgLanguages'), t('cfgSkills'), t('cfgRegions')]}
        rows={list(v).map((o) => [o.id, o.name, o.centre, join(o.languages), skillsText(o.skills), join(o.regions)])} />;
    case 'overflow':
      return <Table head={[t('queue'), t('cfgRules')]}
        rows={list(v).map((o) => [o.queue, list(o.rules).map((r) => <div key={JSON.stringify(r)}><code>{JSON.stringify(r)}</code></div>)])} />;
    default:
      return <pre class="yaml" data-testid="cfg-view-yaml" style="max-height:32rem;overflow:auto;background:#f7f8fa;padding:.5rem">{area.yaml}</pre>;
  }
}

// A list of strings: remove any, add one (a date picker for dates).
function StringList(props: { label: string; items: string[]; date?: boolean; testid: string; onChange: (items: string[]) => void }) {
  const [adding, setAdding] = useState('');
  const add = () => {
    const x = adding.trim();
    if (!x) return;
    props.onChange([...props.items, x]);
    setAdding('');
  };
  return (
    <div data-testid={props.testid}>
      <h3>{props.label}</h3>
      <ul class="plain" style="list-style:none;padding:0">
        {props.items.map((x, i) => (
          <li key={x + i}><code>{x}</code> <button class="secondary" data-testid={`${props.testid}-remove`} onClick={() => props.onChange(props.items.filter((_, j) => j !== i))}>{t('cfgRemove')}</button></li>
        ))}
      </ul>
      <input type={props.date ? 'date' : 'text'} value={adding} data-testid={`${props.testid}-input`}
        onInput={(e) => setAdding((e.target as HTMLInputElement).value)} onKeyDown={(e) => { if (e.key === 'Enter') add(); }} />
      {' '}<button class="secondary" data-testid={`${props.testid}-add`} onClick={add}>{t('cfgAdd')}</button>
    </div>
  );
}

// Rows of objects with text fields (queues).
function RowsEditor(props: { rows: any[]; fields: { key: string; label: string }[]; testid: string; onChange: (rows: any[]) => void }) {
  const set = (i: number, key: string, value: string) => {
    const rows = clone(props.rows);
    if (value === '') delete rows[i][key]; else rows[i][key] = value;
    props.onChange(rows);
  };
  return (
    <table data-testid={props.testid}>
      <thead><tr>{props.fields.map((f) => <th key={f.key}>{f.label}</th>)}<th /></tr></thead>
      <tbody>
        {props.rows.map((r, i) => (
          <tr key={i}>
            {props.fields.map((f) => (
              <td key={f.key}><input value={r[f.key] ?? ''} onInput={(e) => set(i, f.key, (e.target as HTMLInputElement).value)} /></td>
            ))}
            <td><button class="secondary" onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}>{t('cfgRemove')}</button></td>
          </tr>
        ))}
        <tr><td colSpan={props.fields.length + 1}>
          <button class="secondary" data-testid={`${props.testid}-add`} onClick={() => props.onChange([...props.rows, {}])}>{t('cfgAdd')}</button>
        </td></tr>
      </tbody>
    </table>
  );
}

// Operators: name, centre, languages, regions, and skill levels one by one.
function OperatorsEditor(props: { rows: any[]; onChange: (rows: any[]) => void }) {
  const update = (i: number, f: (o: any) => void) => {
    const rows = clone(props.rows);
    f(rows[i]);
    props.onChange(rows);
  };
  const csv = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  return (
    <div data-testid="cfg-edit-skills">
      <div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.75rem">
      {props.rows.map((o, i) => (
        <fieldset key={i} class="operator">
          <legend><input value={o.id ?? ''} placeholder={t('cfgId')} onInput={(e) => update(i, (x) => { x.id = (e.target as HTMLInputElement).value; })} /></legend>
          <label>{t('cfgName')}<input value={o.name ?? ''} onInput={(e) => update(i, (x) => { x.name = (e.target as HTMLInputElement).value; })} /></label>
          <label>{t('cfgCentre')}<input value={o.centre ?? ''} onInput={(e) => update(i, (x) => { x.centre = (e.target as HTMLInputElement).value; })} /></label>
          <label>{t('cfgLanguages')}<input value={join(o.languages)} onChange={(e) => update(i, (x) => { x.languages = csv((e.target as HTMLInputElement).value); })} /></label>
          <label>{t('cfgRegions')}<input value={join(o.regions)} onChange={(e) => update(i, (x) => {
            const r = csv((e.target as HTMLInputElement).value);
            if (r.length) x.regions = r; else delete x.regions;
          })} /></label>
          <label>{t('cfgSkills')}</label>
          <table>
            <tbody>
              {Object.entries(o.skills ?? {}).map(([topic, level]) => (
                <tr key={topic}>
                  <td>{topic}</td>
                  <td><input type="number" min={1} max={10} value={String(level)} data-testid={`cfg-skill-${o.id}-${topic}`}
                    onInput={(e) => update(i, (x) => { x.skills[topic] = Number((e.target as HTMLInputElement).value); })} /></td>
                  <td><button class="secondary" onClick={() => update(i, (x) => { delete x.skills[topic]; })}>{t('cfgRemove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <input placeholder={t('topic')} onKeyDown={(e) => {
            const el = e.target as HTMLInputElement;
            if (e.key !== 'Enter' || !el.value.trim()) return;
            const topic = el.value.trim();
            el.value = '';
            update(i, (x) => { x.skills = { ...(x.skills ?? {}), [topic]: 5 }; });
          }} />
          {' '}<button class="secondary" onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}>{t('cfgRemove')}</button>
        </fieldset>
      ))}
      </div>
      <button class="secondary" onClick={() => props.onChange([...props.rows, { id: '', name: '', centre: '', languages: ['ru'], skills: {} }])}>{t('cfgAdd')}</button>
    </div>
  );
}

// The form for an area's value, or null when it is edited as YAML only.
function FormEditor(props: { area: Area; value: any; onChange: (v: any) => void }) {
  const { area, value, onChange } = props;
  switch (area.id) {
    case 'numbers':
      return <StringList label={t('cfgArea_numbers')} testid="cfg-edit-numbers" items={list(value)} onChange={onChange} />;
    case 'block_list':
      return (
        <div class="grid">
          <StringList label={t('cfgBlocked')} testid="cfg-edit-block" items={list(value?.block)} onChange={(b) => onChange({ ...value, block: b })} />
          <StringList label={t('cfgAllowed')} testid="cfg-edit-allow" items={list(value?.allow)} onChange={(a) => onChange({ ...value, allow: a })} />
        </div>
      );
    case 'holidays':
      return (
        <div class="grid">
          <StringList label={t('cfgDates')} date testid="cfg-edit-dates" items={list(value?.dates)} onChange={(d) => onChange({ ...value, dates: d })} />
          <StringList label={t('cfgWorkingDays')} date testid="cfg-edit-working" items={list(value?.working_days)} onChange={(d) => onChange({ ...value, working_days: d })} />
        </div>
      );
    case 'queues':
      return <RowsEditor testid="cfg-edit-queues" rows={list(value)} onChange={onChange}
        fields={[{ key: 'id', label: t('cfgId') }, { key: 'topic', label: t('topic') }, { key: 'centre', label: t('cfgCentre') }, { key: 'hours', label: t('cfgHours') }]} />;
    case 'skills':
      return <OperatorsEditor rows={list(value)} onChange={onChange} />;
    default:
      return null;
  }
}

function Errors(props: { errors: EditError[] }) {
  return (
    <ul class="error" data-testid="cfg-errors">
      {props.errors.map((e, i) => (
        <li key={i} data-line={e.area_line ?? e.line}>
          {e.area_line ? `${t('cfgLineInText')} ${e.area_line}:${e.area_column ?? ''} ` : e.line ? `${t('cfgLineInFile')} ${e.line}:${e.column} ` : ''}
          {e.message}
        </li>
      ))}
    </ul>
  );
}

type Mode = 'view' | 'form' | 'yaml';

function AreaPanel(props: { area: Area; onReload: (saved?: string) => void }) {
  const { area } = props;
  const [mode, setMode] = useState<Mode>('view');
  const [value, setValue] = useState<any>(clone(area.value));
  const [yaml, setYaml] = useState(area.yaml);
  const [errors, setErrors] = useState<EditError[]>([]);
  const [note, setNote] = useState('');
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const hasForm = area.view === 'table';
  const edit = () => (mode === 'yaml' ? { yaml } : { value });
  const start = (m: Mode) => { setValue(clone(area.value)); setYaml(area.yaml); setErrors([]); setNote(''); setMode(m); };

  const run = async (save: boolean) => {
    setBusy(true); setErrors([]); setNote(''); setConflict(false);
    try {
      const r = save
        ? await send('PUT', '/' + area.id, { ...edit(), version: area.version })
        : await send('POST', '/' + area.id + '/check', edit());
      const p = r.payload ?? {};
      if (r.status === 409) { setConflict(true); return; }
      if (r.status === 422 || (r.status === 200 && p.ok === false)) { setErrors(p.errors ?? []); return; }
      if (r.status !== 200) { setErrors([{ line: 0, column: 0, message: p.error?.message ?? String(r.status) }]); return; }
      if (!save) { setNote(p.changed ? t('cfgValid') : t('cfgNoChange')); return; }
      if (!p.changed) { setNote(t('cfgNoChange')); return; }
      // The reload brings a new version, which mounts a fresh panel in view mode.
      props.onReload(`${t('cfgSaved')}: ${p.summary}`);
    } catch (e: any) {
      setErrors([{ line: 0, column: 0, message: String(e?.message ?? e) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" data-testid={`cfg-area-${area.id}`} data-version={area.version}>
      <h2>{areaTitle(area)}</h2>
      {mode === 'view' && <AreaView area={area} />}
      {mode === 'form' && <FormEditor area={area} value={value} onChange={setValue} />}
      {mode === 'yaml' && (
        <textarea class="yaml" data-testid="cfg-yaml" rows={Math.min(30, Math.max(6, yaml.split('\n').length + 1))}
          spellcheck={false} value={yaml} onInput={(e) => setYaml((e.target as HTMLTextAreaElement).value)} style="width:100%;font-family:monospace" />
      )}
      {errors.length > 0 && <Errors errors={errors} />}
      {conflict && (
        <p class="error" data-testid="cfg-conflict">{t('cfgConflict')}{' '}
          <button class="secondary" onClick={() => { setConflict(false); setMode('view'); props.onReload(); }}>{t('cfgReload')}</button>
        </p>
      )}
      {note && <p class="note" data-testid="cfg-note">{note}</p>}
      <p>
        {mode === 'view' ? (
          <>
            {hasForm && <button data-testid="cfg-edit" onClick={() => start('form')}>{t('cfgEdit')}</button>}{' '}
            <button class={hasForm ? 'secondary' : ''} data-testid="cfg-edit-yaml" onClick={() => start('yaml')}>{hasForm ? t('cfgEditYaml') : t('cfgEdit')}</button>
          </>
        ) : (
          <>
            <button class="secondary" data-testid="cfg-check" disabled={busy} onClick={() => run(false)}>{t('cfgCheck')}</button>{' '}
            <button data-testid="cfg-save" disabled={busy} onClick={() => run(true)}>{t('cfgSave')}</button>{' '}
            <button class="secondary" data-testid="cfg-cancel" onClick={() => { setMode('view'); setErrors([]); }}>{t('cfgCancel')}</button>
          </>
        )}
        {' '}<span class="note">{t('cfgVersion')} <code>{area.version}</code></span>
      </p>
    </section>
  );
}

export function ConfigAdmin() {
  const [areas, setAreas] = useState<Area[] | null>(null);
  const [selected, setSelected] = useState('numbers');
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const load = async () => {
    const r = await send('GET', '');
    if (r.status === 200) { setAreas(r.payload.areas); setError(''); } else setError(r.payload?.error?.message ?? String(r.status));
  };
  useEffect(() => { load().catch((e) => setError(String(e))); }, []);
  const area = areas?.find((a) => a.id === selected);
  return (
    <div data-testid="config-admin">
      <section class="card">
        <h2>{t('cfgTitle')}</h2>
        <p class="note">{t('cfgHint')}</p>
        {error && <p class="error">{error}</p>}
        {saved && <p class="note" data-testid="cfg-saved">{saved}</p>}
        <nav class="tabs" style="display:flex;gap:.5rem;flex-wrap:wrap">
          {(areas ?? []).map((a) => (
            <button key={a.id} class={a.id === selected ? '' : 'secondary'} data-testid={`cfg-tab-${a.id}`} onClick={() => { setSelected(a.id); setSaved(''); }}>{areaTitle(a)}</button>
          ))}
        </nav>
      </section>
      {area && <AreaPanel key={area.id + area.version} area={area} onReload={(note) => { setSaved(note ?? ''); load().catch((e) => setError(String(e))); }} />}
    </div>
  );
}
