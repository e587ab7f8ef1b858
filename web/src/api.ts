// The REST API under /api/v1. The session token from login is kept in
// sessionStorage (one tab, gone when it closes) and sent as a bearer token;
// the server also sets an HttpOnly cookie, which the WebSocket relies on.
import { signalLike } from './store';

export interface Principal {
  kind: string;
  name: string;
  display_name?: string;
  role: string;
  session_expires_at?: string;
  // First sign-in steps left ("password", "totp"): until none, nothing else works.
  setup_required?: string[];
}

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public field?: string) {
    super(message);
  }
}

const TOKEN_KEY = 'gosline.token';
export const me = signalLike<Principal | null>(null);

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const tok = token();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 204) return undefined as T;
  let payload: any = null;
  const text = await res.text();
  try { payload = text ? JSON.parse(text) : null; } catch { payload = null; }
  if (!res.ok) {
    const e = payload?.error ?? {};
    if (res.status === 401 && path !== '/auth/login') {
      sessionStorage.removeItem(TOKEN_KEY);
      me.set(null);
    }
    throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? res.statusText, e.field);
  }
  return payload as T;
}

export async function login(loginName: string, password: string, second: { totp?: string; recovery_code?: string }) {
  const r = await api<{ token: string; user: Principal }>('POST', '/auth/login', { login: loginName, password, ...second });
  sessionStorage.setItem(TOKEN_KEY, r.token);
  me.set(r.user);
  return r.user;
}

export async function restoreSession(): Promise<void> {
  if (!token()) return;
  try { me.set(await api<Principal>('GET', '/auth/me')); } catch { /* expired: sign in again */ }
}

export async function logout(): Promise<void> {
  try { await api('POST', '/auth/logout'); } catch { /* already gone */ }
  sessionStorage.removeItem(TOKEN_KEY);
  me.set(null);
}

// Lists come as an array or as {items|operators|queues|...: [...]}.
export function asList(x: any, ...keys: string[]): any[] {
  if (Array.isArray(x)) return x;
  if (x && typeof x === 'object') {
    for (const k of [...keys, 'items', 'data']) if (Array.isArray(x[k])) return x[k];
  }
  return [];
}

// The routes the server has (from its OpenAPI document), so screens can say
// what is missing instead of failing on a 404.
let routesPromise: Promise<Set<string>> | null = null;
export function serverRoutes(): Promise<Set<string>> {
  routesPromise ??= fetch('/api/v1/openapi.json')
    .then((r) => r.json())
    .then((doc) => {
      const out = new Set<string>();
      for (const [path, ops] of Object.entries<any>(doc.paths ?? {})) {
        for (const m of Object.keys(ops)) out.add(m.toUpperCase() + ' ' + path);
      }
      return out;
    })
    .catch(() => new Set<string>());
  return routesPromise;
}

// Whether the server has a route, parameter names aside: "GET /api/v1/operators/{}/call".
export function hasRoute(routes: Set<string>, wanted: string): boolean {
  const norm = (s: string) => s.replace(/\{[^}]*\}/g, '{}');
  const w = norm(wanted);
  for (const r of routes) if (norm(r) === w) return true;
  return false;
}
