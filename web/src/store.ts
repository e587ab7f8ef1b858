// A value that components re-render on (a tiny signal, enough for the
// language and the signed-in user).
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(fn: () => void): () => void;
}

export function signalLike<T>(initial: T): Store<T> {
  let value = initial;
  const subscribers = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      subscribers.forEach((fn) => fn());
    },
    subscribe(fn: () => void) {
      subscribers.add(fn);
      return () => { subscribers.delete(fn); };
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [, force] = useState(0);
  useEffect(() => store.subscribe(() => force((n) => n + 1)), [store]);
  return store.get();
}
