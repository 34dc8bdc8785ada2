/** Line splitting shared by the fallback scanners; mirrors native/lines.h. */
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Iterates the non-blank lines of `text[from, to)` that start before `limit`. */
export class LineCursor {
  /** Where scanning resumes: just past the last line returned. */
  pos: number;
  start = 0;
  /** One past the last byte, without LF and one trailing CR. */
  end = 0;

  constructor(
    private readonly text: Buffer,
    from: number,
    private readonly to: number,
    private readonly limit: number,
    private readonly atEof: boolean,
  ) {
    this.pos = from;
  }

  /** Moves to the next line; false at `to`, at `limit`, or at an incomplete last line. */
  next(): boolean {
    const { text, to } = this;
    while (this.pos < this.limit && this.pos < to) {
      let nl = text.indexOf(LF, this.pos);
      if (nl < 0 || nl >= to) {
        if (!this.atEof) return false;
        nl = to;
      }
      const start = this.pos;
      let end = nl;
      if (end > start && text[end - 1] === CR) end--;
      this.pos = nl < to ? nl + 1 : to;
      let blank = true;
      for (let i = start; i < end && blank; i++) blank = text[i] === SPACE || text[i] === TAB;
      if (blank) continue;
      this.start = start;
      this.end = end;
      return true;
    }
    return false;
  }
}
