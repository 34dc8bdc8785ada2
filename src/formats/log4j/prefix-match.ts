import { PrefixOp, type PrefixStep } from '../pattern-spec.js';

/**
 * Runs a prefix program over one line (as the pattern kernels do): where the message starts,
 * 0 when the line has no prefix (a bare line), -1 for a prefixed line of another logger.
 */
export function matchPrefix(steps: readonly PrefixStep[], categories: readonly string[], line: string): number {
  let at = 0;
  for (const step of steps) {
    switch (step.op) {
      case PrefixOp.Literal:
        if (!line.startsWith(step.text, at)) return 0;
        at += step.text.length;
        break;
      case PrefixOp.Skip:
        if (line.length - at < step.count) return 0;
        at += step.count;
        break;
      case PrefixOp.SkipUntil: {
        const hit = line.indexOf(step.text, at);
        if (hit < 0) return 0;
        at = hit + step.text.length;
        break;
      }
      case PrefixOp.CategoryUntil: {
        const hit = line.indexOf(step.text, at);
        if (hit < 0) return 0;
        if (!categories.includes(line.slice(at, hit))) return -1;
        at = hit + step.text.length;
        break;
      }
    }
  }
  return at;
}
