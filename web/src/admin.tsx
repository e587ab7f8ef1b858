// Administration, by role: security administrators manage staff accounts
// (admin_users.tsx), administrators the line's configuration
// (admin_config.tsx). Both see the list of routes the server offers, so a
// missing piece is visible rather than a silent 404.
import { useEffect, useState } from 'preact/hooks';
import { hasRoute, me, serverRoutes } from './api';
import { t } from './i18n';
import { useStore } from './store';
import { UsersAdmin } from './admin_users';
import { ConfigAdmin } from './admin_config';

export function AdminScreen() {
  const user = useStore(me);
  const [routes, setRoutes] = useState<Set<string> | null>(null);
  useEffect(() => { serverRoutes().then(setRoutes); }, []);
  if (!routes) return <p class="note">{t('loading')}</p>;
  const role = user?.role ?? '';
  return (
    <div data-testid="admin">
      {role === 'security_administrator' && (hasRoute(routes, 'GET /api/v1/users')
        ? <UsersAdmin />
        : <section class="card"><h2>{t('users')}</h2><p class="note" data-testid="users-missing">{t('usersMissing')}</p></section>)}
      {role === 'administrator' && <ConfigAdmin />}
      <section class="card">
        <h2>{t('apiRoutes')}</h2>
        <ul class="note" data-testid="route-list">{[...routes].filter((r) => r.includes(' /api/')).sort().map((r) => <li key={r}><code>{r}</code></li>)}</ul>
      </section>
    </div>
  );
}
