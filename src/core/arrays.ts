/**
 * Append every item of `items` to `target` and return `target`. `target.push(...items)` passes each item as a call
 * argument, so a list of more than about 120,000 items (a large organization's AWS Config snapshot) overflows the
 * call stack with a RangeError.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
