import { PrefixOp, type PrefixStep } from '../pattern-spec.js';
import { bytesAt, indexOfBytes } from '../../util/bytes.js';

/**
 * Runs a prefix program over one line of bytes (latin1), as the pattern kernels do. Works on the
 * block itself: an audit record's hex lines run to kilobytes, and a string of each would be
 * made only to learn that the line has no prefix.
 */
export class PrefixMatcher {
  private readonly texts: Buffer[];
  private readonly categories: Buffer[];

  constructor(private readonly steps: readonly PrefixStep[], categories: readonly string[]) {
    this.texts = steps.map((s) => Buffer.from(s.text, 'latin1'));
    this.categories = categories.map((c) => Buffer.from(c, 'latin1'));
  }

  /** No prefix to match: every line is a bare message. */
  get bare(): boolean {
    return this.steps.length === 0;
  }

  /**
   * Where the message starts in the line buf[start, end), counted from `start`: 0 when the line
   * has no prefix (a bare line), -1 for a prefixed line of another logger.
   */
  match(buf: Uint8Array, start: number, end: number): number {
    let at = start;
    for (let i = 0; i < this.steps.length; i++) {
      const step = this.steps[i]!;
      const text = this.texts[i]!;
      switch (step.op) {
        case PrefixOp.Literal:
          if (!bytesAt(buf, at, end, text)) return 0;
          at += text.length;
          break;
        case PrefixOp.Skip:
          if (end - at < step.count) return 0;
          at += step.count;
          break;
        case PrefixOp.SkipUntil:
        case PrefixOp.CategoryUntil: {
          const hit = indexOfBytes(buf, text, at, end);
          if (hit < 0) return 0;
          if (step.op === PrefixOp.CategoryUntil && !this.isCategory(buf, at, hit)) return -1;
          at = hit + text.length;
          break;
        }
      }
    }
    return at - start;
  }

  private isCategory(buf: Uint8Array, from: number, to: number): boolean {
    for (const c of this.categories) if (c.length === to - from && bytesAt(buf, from, to, c)) return true;
    return false;
  }
}
