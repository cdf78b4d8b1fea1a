/** Run fn over items with at most `limit` in progress (API calls are bounded separately, per service and region). */
export async function mapLimit<T>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<void>,
  limit = 256,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
