// The web application: the public status page at /status, everything else
// under /app behind sign-in.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { logout, me, restoreSession } from './api';
import { lang, setLang, t } from './i18n';
import { homeFor, maySee, navigate, path, Screen } from './router';
import { useStore } from './store';
import { LoginScreen } from './login';
import { StatusPage } from './status_page';
import { Desktop } from './desktop';
import { CasesScreen } from './cases';
import { Wallboard } from './wallboard';
import { AdminScreen } from './admin';
import { AccountScreen } from './account';
import { ReportsScreen } from './reports';
import { FirstSignInScreen } from './first_sign_in';

function LangSwitch() {
  const l = useStore(lang);
  return (
    <button class="secondary" data-testid="lang-switch" onClick={() => setLang(l === 'ru' ? 'en' : 'ru')}>
      {t('language')}
    </button>
  );
}

function Link(props: { to: string; label: string; id: string }) {
  const current = useStore(path);
  return (
    <a href={props.to} data-testid={'nav-' + props.id} class={current.startsWith(props.to) ? 'active' : ''}
      onClick={(e) => { e.preventDefault(); navigate(props.to); }}>{props.label}</a>
  );
}

function Shell() {
  const user = useStore(me);
  const p = useStore(path);
  useStore(lang);
  const [ready, setReady] = useState(false);
  useEffect(() => { restoreSession().finally(() => setReady(true)); }, []);
  const parts = p.split('/').filter(Boolean);  // ["app", screen, id]
  const screen = (parts[1] ?? '') as Screen | '';
  useEffect(() => {
    if (p === '/' || p === '') navigate('/app');
    else if (user && parts[0] === 'app' && !screen) navigate(homeFor(user.role));
  }, [p, user]);
  useEffect(() => { document.title = t('appTitle'); });

  if (p.startsWith('/status')) {
    return (
      <>
        <header class="top"><h1>{t('appTitle')}</h1><nav /><LangSwitch /></header>
        <main><StatusPage /></main>
      </>
    );
  }
  if (!ready) return <main class="note">{t('loading')}</main>;
  if (!user) {
    return (
      <>
        <header class="top"><h1>{t('appTitle')}</h1><nav><Link to="/status" id="status" label={t('navStatus')} /></nav><LangSwitch /></header>
        <main><LoginScreen /></main>
      </>
    );
  }
  if (user.setup_required?.length) {
    // A first sign-in can do nothing else until its steps are done.
    return (
      <>
        <header class="top">
          <h1>{t('appTitle')}</h1><nav />
          <span class="note" data-testid="whoami">{user.display_name || user.name} · {user.role}</span>
          <LangSwitch />
          <button class="secondary" data-testid="logout" onClick={() => logout().then(() => navigate('/app'))}>{t('signOut')}</button>
        </header>
        <main><FirstSignInScreen /></main>
      </>
    );
  }
  if (!screen) return null;  // the effect above picks the role's first screen
  const nav: [Screen, string][] = [
    ['desktop', t('navDesktop')], ['cases', t('navCases')], ['wallboard', t('navWallboard')],
    ['reports', t('navReports')], ['admin', t('navAdmin')], ['account', t('navAccount')],
  ];
  let body;
  if (!(screen in { desktop: 1, cases: 1, wallboard: 1, reports: 1, admin: 1, account: 1 })) {
    body = <p class="error">{t('notFound')}</p>;
  } else if (!maySee(user.role, screen)) {
    body = <p class="error" data-testid="forbidden">{t('forbidden')}</p>;
  } else if (screen === 'desktop') body = <Desktop />;
  else if (screen === 'cases') body = <CasesScreen number={parts[2]} />;
  else if (screen === 'wallboard') body = <Wallboard />;
  else if (screen === 'reports') body = <ReportsScreen />;
  else if (screen === 'admin') body = <AdminScreen />;
  else body = <AccountScreen />;
  return (
    <>
      <header class="top">
        <h1>{t('appTitle')}</h1>
        <nav>
          {nav.filter(([s]) => maySee(user.role, s)).map(([s, label]) => <Link key={s} to={'/app/' + s} id={s} label={label} />)}
          <Link to="/status" id="status" label={t('navStatus')} />
        </nav>
        <span class="note" data-testid="whoami">{user.display_name || user.name} · {user.role}</span>
        <LangSwitch />
        <button class="secondary" data-testid="logout" onClick={() => logout().then(() => navigate('/app'))}>{t('signOut')}</button>
      </header>
      <main>{body}</main>
    </>
  );
}

document.documentElement.lang = lang.get();
render(<Shell />, document.getElementById('root')!);
