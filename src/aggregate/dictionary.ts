/** Strings numbered densely (0, 1, 2, … in first-seen order), so tables can be plain arrays. */
export class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /** The number of `name`, adding it when new. */
  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}
