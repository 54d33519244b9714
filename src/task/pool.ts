export interface PoolResult<T, R> {
  item: T;
  ok: boolean;
  value?: R;
  error?: unknown;
}

/** Runs fn over items with at most `limit` in flight; one failure does not stop the others. */
export async function runPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<PoolResult<T, R>[]> {
  const results: PoolResult<T, R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      try {
        results[i] = { item, ok: true, value: await fn(item) };
      } catch (error) {
        results[i] = { item, ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
