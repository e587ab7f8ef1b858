// Sign-in in two steps: login and password, then the TOTP code (or a
// recovery code). The API checks all three at once, so nothing is sent
// before the second step. Someone signing in for the first time with a
// temporary password has no code yet: they say so, and the first-sign-in
// screen (first_sign_in.tsx) takes them through their setup.
import { useState } from 'preact/hooks';
import { ApiError, login } from './api';
import { t } from './i18n';
import { homeFor, navigate } from './router';

export function LoginScreen() {
  const [step, setStep] = useState<1 | 2>(1);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const signIn = async (withoutCode: boolean) => {
    setError('');
    setBusy(true);
    try {
      const digits = code.replace(/\s/g, '');
      const second = withoutCode ? {} : /^\d{6,8}$/.test(digits) ? { totp: digits } : { recovery_code: code.trim() };
      const user = await login(name.trim(), password, second);
      const here = location.pathname;
      navigate(here.startsWith('/app/') ? here : homeFor(user.role));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setCode('');
      if (err instanceof ApiError && err.status === 401) setStep(1);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setError('');
    if (step === 1) {
      if (name && password) setStep(2);
      return;
    }
    signIn(false);
  };

  return (
    <section class="card login">
      <h2>{t('signIn')}</h2>
      <form onSubmit={submit} data-testid="login-form">
        {step === 1 ? (
          <>
            <label for="login">{t('login')}</label>
            <input id="login" name="login" autocomplete="username" value={name} required
              onInput={(e) => setName(e.currentTarget.value)} />
            <label for="password">{t('password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" value={password} required
              onInput={(e) => setPassword(e.currentTarget.value)} />
            <button type="submit" data-testid="login-next">{t('next')}</button>
          </>
        ) : (
          <>
            <p class="note">{t('totpHint')}</p>
            <label for="totp">{t('totpCode')} ({t('recoveryCode')})</label>
            <input id="totp" name="totp" autocomplete="one-time-code" inputMode="numeric" value={code} required autoFocus
              onInput={(e) => setCode(e.currentTarget.value)} />
            <button type="submit" disabled={busy} data-testid="login-submit">{t('signIn')}</button>
            <button type="button" class="secondary" onClick={() => { setStep(1); setCode(''); }}>{t('back')}</button>
            <button type="button" class="secondary" disabled={busy} data-testid="login-first"
              onClick={() => signIn(true)}>{t('noCodeYet')}</button>
          </>
        )}
      </form>
      {error && <p class="error" role="alert" data-testid="login-error">{error}</p>}
    </section>
  );
}
