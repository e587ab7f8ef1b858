// Live updates: the server's WebSocket (/api/v1/live) tells us something
// changed; without it (refused, closed, not on this server) we poll every 2 s.
// The socket carries the HttpOnly session cookie set at login.
import { useEffect, useRef, useState } from 'preact/hooks';

export type LiveMode = 'live' | 'polling';

// Calls `refresh` now, on every live message and, while the socket is down,
// every 2 s. `onMessage` sees each parsed message ({"topic","seq","data"}) first
// and returns true when the message carried everything (no refresh needed).
export function useLive(refresh: () => void, onMessage?: (msg: any) => boolean): LiveMode {
  const [mode, setMode] = useState<LiveMode>('polling');
  const refreshRef = useRef(refresh);
  const messageRef = useRef(onMessage);
  refreshRef.current = refresh;
  messageRef.current = onMessage;
  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | null = null;
    let timer: number | undefined;
    let retry: number | undefined;
    // Every 2 s without the socket; every 10 s with it, in case a feed stays silent.
    const poll = (every = 2000) => {
      if (timer !== undefined) window.clearInterval(timer);
      timer = window.setInterval(() => refreshRef.current(), every);
    };
    const backstop = () => poll(10000);
    const connect = () => {
      if (stopped) return;
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      try {
        // Browsers cannot set headers on a WebSocket: the session cookie from login goes along.
        socket = new WebSocket(`${scheme}//${location.host}/api/v1/live`);
      } catch {
        poll();
        return;
      }
      socket.onopen = () => { setMode('live'); backstop(); refreshRef.current(); };
      socket.onmessage = (ev) => {
        let msg: any = null;
        try { msg = JSON.parse(String(ev.data)); } catch { /* not JSON: still a change */ }
        if (!messageRef.current?.(msg)) refreshRef.current();
      };
      socket.onclose = () => {
        setMode('polling');
        poll();
        if (!stopped) retry = window.setTimeout(connect, 10000);
      };
    };
    refreshRef.current();
    poll();
    connect();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearInterval(timer);
      if (retry !== undefined) window.clearTimeout(retry);
      if (socket) { socket.onclose = null; socket.close(); }
    };
  }, []);
  return mode;
}
