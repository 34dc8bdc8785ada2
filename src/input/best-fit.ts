/**
 * Among every (order, layout) pair, the one under which the most of a file's head parses; the
 * user's own order or layout, when given, is the only candidate. Ties go to the earlier pair:
 * defaults are listed oldest era first, layouts bare first. Undefined when nothing parses.
 */
export function bestFit<T>(
  orders: readonly string[], layouts: readonly string[], make: (order: string, layout: string) => T, score: (settings: T) => number,
): T | undefined {
  let best: { settings: T; score: number } | undefined;
  for (const order of orders) {
    for (const layout of layouts) {
      const settings = make(order, layout);
      const n = score(settings);
      if (n > 0 && (!best || n > best.score)) best = { settings, score: n };
    }
  }
  return best?.settings;
}
