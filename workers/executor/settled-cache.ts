/**
 * Values loaded once per isolate and shared by its invocations — only once they are loaded. A
 * load in progress is never shared across invocations: workerd drops an ended invocation's
 * pending I/O, so a promise another invocation started may never settle (that invocation was
 * cancelled, past its deadline, or killed by a reload), and every later invocation awaiting it
 * would wait forever. So each caller that finds no value runs its own load (concurrent cold
 * callers may load twice); the first value that arrives is kept. A failed load is not kept.
 */
export interface SettledCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
}

export function settledCache<V>(size: number): SettledCache<V> {
  const values = new Map<string, V>();
  return {
    async get(key, load) {
      if (values.has(key)) return values.get(key) as V;
      const value = await load();
      if (!values.has(key)) {
        values.set(key, value);
        while (values.size > size) values.delete(values.keys().next().value!);
      }
      return values.get(key) as V;
    },
  };
}
