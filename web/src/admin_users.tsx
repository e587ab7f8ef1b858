// Staff accounts for the security administrator: the list, a create form,
// role changes, enable/disable, TOTP and password resets, unlock. The one
// thing the server returns once, a temporary password, is shown once, until
// dismissed, and never kept; no second factor ever reaches this screen: the
// person enrols their own at first sign-in (R19). Changes that
// lock someone out ask for confirmation first; the API's refusals (the last
// security administrator, your own account) are shown as they come.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, asList, me } from './api';
import { Key, t } from './i18n';
import { useStore } from './store';

export const ROLES = ['operator', 'supervisor', 'administrator', 'security_administrator', 'compliance_controller'] as const;

interface Account {
  login: string;
  display_name: string;
  role: string;
  disabled: boolean;
  totp_enrolled: boolean;
  failed_logins: number;
  locked: boolean;
}

// What was returned once: a temporary password (after create or a password reset).
interface OneTime { login: string; password?: string; totpReset?: boolean }

// An action waiting for "yes".
interface Pending {
  login: string;
  action: 'disable' | 'enable' | 'totp' | 'password' | 'role';
  role?: string;
}

export function roleName(role: string): string {
  const key = ('uaRole_' + role) as Key;
  const text = t(key);
  return text === undefined ? role : text;
}

function OneTimeSecret(props: { shown: OneTime; onDone: () => void }) {
  const s = props.shown;
  return (
    <section class="card pop" data-testid="one-time-secret" data-login={s.login}>
      <h2>{s.password ? t('uaOneTimeTitle') : t('uaTotpResetTitle')}</h2>
      {s.password && (
        <>
          <p class="note">{t('uaOneTimeHint')}</p>
          <p><strong>{s.login}</strong> · {t('uaTemporaryPassword')}: <code data-testid="temporary-password">{s.password}</code></p>
        </>
      )}
      <p class="note" data-testid="first-sign-in-note">{s.password ? t('uaFirstSignInNote') : t('uaTotpResetNote')}</p>
      <button onClick={props.onDone} data-testid="one-time-done">{t('uaHandedOver')}</button>
    </section>
  );
}

function CreateForm(props: { onCreated: (shown: OneTime) => void; onError: (e: unknown) => void }) {
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('operator');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body: Record<string, string> = { login: login.trim(), role };
      if (name.trim()) body.display_name = name.trim();
      if (password) body.password = password;
      const r = await api<{ user: { login: string }; temporary_password?: string }>('POST', '/users', body);
      setLogin(''); setName(''); setPassword('');
      props.onCreated({ login: r.user.login, password: r.temporary_password ?? password });
    } catch (err) { props.onError(err); } finally { setBusy(false); }
  };
  return (
    <form onSubmit={submit} data-testid="user-create" class="grid">
      <div>
        <label for="nu-login">{t('login')}</label>
        <input id="nu-login" value={login} onInput={(e) => setLogin(e.currentTarget.value)} required
          pattern="[a-z0-9._\-]{1,64}" autocomplete="off" />
        <label for="nu-name">{t('uaDisplayName')}</label>
        <input id="nu-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div>
        <label for="nu-role">{t('role')}</label>
        <select id="nu-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
        </select>
        <label for="nu-password">{t('uaPasswordOptional')}</label>
        <input id="nu-password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autocomplete="new-password" />
        <button type="submit" disabled={busy} data-testid="user-create-submit">{t('addUser')}</button>
      </div>
    </form>
  );
}

function ConfirmBar(props: { pending: Pending; onYes: () => void; onNo: () => void }) {
  const p = props.pending;
  const question: Record<Pending['action'], Key> = {
    disable: 'uaConfirmDisable', enable: 'uaConfirmEnable', totp: 'uaConfirmTotpReset', password: 'uaConfirmPasswordReset', role: 'uaConfirmRole',
  };
  return (
    <div role="alertdialog" data-testid="confirm" class="alarm">
      <span>{t(question[p.action])} <strong>{p.login}</strong>{p.role ? ' → ' + roleName(p.role) : ''}?</span>
      <button onClick={props.onYes} data-testid="confirm-yes">{t('uaYes')}</button>
      <button class="secondary" onClick={props.onNo} data-testid="confirm-no">{t('uaCancel')}</button>
    </div>
  );
}

export function UsersAdmin() {
  const self = useStore(me);
  const [users, setUsers] = useState<Account[] | null>(null);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [shown, setShown] = useState<OneTime | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const fail = (e: unknown) => { setMessage(''); setError(e instanceof ApiError ? e.message : String(e)); };
  const load = () => api('GET', '/users').then((r) => setUsers(asList(r, 'users'))).catch(fail);
  useEffect(() => { load(); }, []);

  const run = async (p: Pending) => {
    setPending(null); setError(''); setMessage('');
    const path = '/users/' + encodeURIComponent(p.login);
    try {
      if (p.action === 'totp') {
        await api('POST', path + '/totp-reset');
        setShown({ login: p.login, totpReset: true });
      } else if (p.action === 'password') {
        const r = await api<{ temporary_password: string }>('POST', path + '/password');
        setShown({ login: p.login, password: r.temporary_password });
      } else if (p.action === 'role') {
        await api('PATCH', path, { role: p.role });
      } else {
        await api('PATCH', path, { disabled: p.action === 'disable' });
      }
      setMessage(t('uaChangeSaved') + ': ' + p.login);
    } catch (e) { fail(e); }
    load();
  };
  const unlock = async (login: string) => {
    setError(''); setMessage('');
    try { await api('POST', '/users/' + encodeURIComponent(login) + '/unlock'); setMessage(t('uaUnlocked') + ': ' + login); } catch (e) { fail(e); }
    load();
  };

  return (
    <div data-testid="users-admin">
      {shown && <OneTimeSecret shown={shown} onDone={() => setShown(null)} />}
      <section class="card">
        <h2>{t('users')}</h2>
        {pending && <ConfirmBar pending={pending} onYes={() => run(pending)} onNo={() => setPending(null)} />}
        {error && <p class="error" role="alert" data-testid="users-error">{error}</p>}
        {message && <p class="note" data-testid="users-message">{message}</p>}
        {!users && !error && <p class="note">{t('loading')}</p>}
        {users && (
          <table data-testid="users-table">
            <thead><tr>
              <th>{t('login')}</th><th>{t('uaDisplayName')}</th><th>{t('role')}</th><th>{t('uaAccountState')}</th>
              <th>{t('uaSecondFactor')}</th><th>{t('uaFailedLogins')}</th><th />
            </tr></thead>
            <tbody>{users.map((u) => (
              <tr key={u.login} data-testid="user-row" data-login={u.login} data-disabled={String(u.disabled)} data-role={u.role}>
                <td><code>{u.login}</code></td>
                <td>{u.display_name}</td>
                <td>
                  <select aria-label={t('role')} data-testid="user-role" value={u.role}
                    onChange={(e) => { const r = e.currentTarget.value; e.currentTarget.value = u.role; if (r !== u.role) setPending({ login: u.login, action: 'role', role: r }); }}>
                    {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                  </select>
                </td>
                <td>{u.disabled ? <span class="badge state-not_ready">{t('uaDisabledState')}</span> : <span class="badge state-ready">{t('uaActiveState')}</span>}
                  {u.locked && <span class="badge state-wrap_up" data-testid="user-locked"> {t('uaLockedState')}</span>}</td>
                <td>{u.totp_enrolled ? '✓' : '—'}</td>
                <td>{u.failed_logins}</td>
                <td class="actions">
                  <button class="secondary" data-testid="user-totp-reset" onClick={() => setPending({ login: u.login, action: 'totp' })}>{t('resetTotp')}</button>
                  <button class="secondary" data-testid="user-password-reset" onClick={() => setPending({ login: u.login, action: 'password' })}>{t('uaResetPassword')}</button>
                  {u.disabled
                    ? <button class="secondary" data-testid="user-enable" onClick={() => setPending({ login: u.login, action: 'enable' })}>{t('uaEnable')}</button>
                    : <button class="secondary" data-testid="user-disable" disabled={self?.name === u.login} onClick={() => setPending({ login: u.login, action: 'disable' })}>{t('uaDisable')}</button>}
                  {(u.locked || u.failed_logins > 0) && <button class="secondary" data-testid="user-unlock" onClick={() => unlock(u.login)}>{t('uaUnlock')}</button>}
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>
      <section class="card">
        <h2>{t('addUser')}</h2>
        <CreateForm onError={fail} onCreated={(made) => { setError(''); setMessage(t('uaUserCreated') + ': ' + made.login); setShown(made); load(); }} />
      </section>
    </div>
  );
}
