// Administration: users (when the server has user routes), queues, skills and
// IVR (read-only views of what the API publishes), and the list of routes the
// server offers, so a missing piece is visible rather than a silent 404.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, asList, hasRoute, serverRoutes } from './api';
import { t } from './i18n';
import { hoursText } from './status_page';
import { localName, publicStatus } from './vocabulary';

// Topics with their hours and phone-solvability, from the published status
// (the configuration as the line runs it).
function TopicsView() {
  const [topics, setTopics] = useState<any[] | null>(null);
  useEffect(() => { publicStatus().then((s) => setTopics(asList(s, 'topics'))).catch(() => setTopics([])); }, []);
  if (!topics || topics.length === 0) return null;
  return (
    <section class="card">
      <h2>{t('topic')} · {t('hours')}</h2>
      <table data-testid="admin-topics"><tbody>
        {topics.map((x) => <tr key={x.id}><td><code>{x.id}</code></td><td>{localName(x.names)}</td><td>{hoursText(x.hours)}</td><td>{x.phone_solvable ? '☎' : ''}</td></tr>)}
      </tbody></table>
    </section>
  );
}

function JsonTable(props: { rows: any[]; testid: string }) {
  const cols = [...new Set(props.rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))].slice(0, 8);
  return (
    <table data-testid={props.testid}>
      <thead><tr>{cols.map((c) => <th key={c}>{c}</th>)}</tr></thead>
      <tbody>{props.rows.map((r, i) => (
        <tr key={i}>{cols.map((c) => <td key={c}>{typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : String(r[c] ?? '')}</td>)}</tr>
      ))}</tbody>
    </table>
  );
}

function Listing(props: { title: string; route: string; path: string; listKeys: string[]; testid: string; routes: Set<string> }) {
  const [rows, setRows] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  const present = hasRoute(props.routes, props.route);
  useEffect(() => {
    if (present) api('GET', props.path).then((r) => setRows(asList(r, ...props.listKeys))).catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [present]);
  return (
    <section class="card">
      <h2>{props.title}</h2>
      {!present && <p class="note" data-testid={props.testid + '-missing'}>{t('notOnServer')}: <code>{props.route}</code></p>}
      {error && <p class="error">{error}</p>}
      {rows && <JsonTable rows={rows} testid={props.testid} />}
    </section>
  );
}

export function AdminScreen() {
  const [routes, setRoutes] = useState<Set<string> | null>(null);
  useEffect(() => { serverRoutes().then(setRoutes); }, []);
  if (!routes) return <p class="note">{t('loading')}</p>;
  const userRoutes = hasRoute(routes, 'GET /api/v1/users');
  return (
    <div data-testid="admin">
      <section class="card">
        <h2>{t('users')}</h2>
        {!userRoutes && <p class="note" data-testid="users-missing">{t('usersMissing')}</p>}
      </section>
      {userRoutes && <Listing title={t('users')} route="GET /api/v1/users" path="/users" listKeys={['users']} testid="users" routes={routes} />}
      <TopicsView />
      <Listing title={t('queues')} route="GET /api/v1/queues" path="/queues" listKeys={['queues']} testid="admin-queues" routes={routes} />
      <Listing title={t('skills')} route="GET /api/v1/skills" path="/skills" listKeys={['skills']} testid="admin-skills" routes={routes} />
      <Listing title={t('ivr')} route="GET /api/v1/ivr" path="/ivr" listKeys={['menus', 'nodes']} testid="admin-ivr" routes={routes} />
      <section class="card">
        <h2>{t('apiRoutes')}</h2>
        <ul class="note" data-testid="route-list">{[...routes].filter((r) => r.includes(' /api/')).sort().map((r) => <li key={r}><code>{r}</code></li>)}</ul>
      </section>
    </div>
  );
}
