// Client-side routes: the server answers every /app/... and /status with the
// same page; the path picks the screen.
import { signalLike } from './store';

export const path = signalLike<string>(location.pathname);

export function navigate(to: string): void {
  if (to === location.pathname) return;
  history.pushState(null, '', to);
  path.set(to);
}

window.addEventListener('popstate', () => path.set(location.pathname));

// Roles and the screens they see (the API checks again on every call).
export const screens = {
  desktop: ['operator', 'supervisor'],
  cases: ['operator', 'supervisor', 'compliance_controller'],
  wallboard: ['supervisor'],
  reports: ['supervisor', 'compliance_controller'],
  admin: ['administrator', 'security_administrator'],
  account: ['operator', 'supervisor', 'administrator', 'security_administrator', 'compliance_controller'],
} as const;
export type Screen = keyof typeof screens;

export function maySee(role: string, screen: Screen): boolean {
  return (screens[screen] as readonly string[]).includes(role);
}

// The first screen a role sees after signing in.
export function homeFor(role: string): string {
  for (const s of Object.keys(screens) as Screen[]) if (maySee(role, s)) return '/app/' + s;
  return '/app/account';
}
