/** A set of listeners for one kind of live message; `on` returns the unsubscribe. */
export function fanout<T>() {
  const listeners = new Set<(v: T) => void>();
  return {
    emit(v: T): void {
      for (const l of listeners) l(v);
    },
    on(l: (v: T) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
