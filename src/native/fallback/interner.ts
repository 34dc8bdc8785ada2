import type { Interner } from '../types.js';

/** Pure TypeScript interner: one Map per slot, keyed by the value's latin1 string. */
export class MapInterner implements Interner {
  private readonly maps: Map<string, number>[] = [];
  private readonly lists: string[][] = [];

  constructor(slots: number) {
    for (let s = 0; s < slots; s++) {
      this.maps.push(new Map());
      this.lists.push([]);
    }
  }

  intern(slot: number, value: string): number {
    const map = this.maps[slot]!;
    let id = map.get(value);
    if (id === undefined) {
      const list = this.lists[slot]!;
      id = list.length;
      list.push(value);
      map.set(value, id);
    }
    return id;
  }

  size(slot: number): number {
    return this.lists[slot]?.length ?? 0;
  }

  /** Forgets every value. */
  protected clear(): void {
    for (const m of this.maps) m.clear();
    for (const l of this.lists) l.length = 0;
  }

  values(slot: number, from: number, to?: number): string[] {
    return (this.lists[slot] ?? []).slice(Math.max(0, from), to === undefined ? undefined : Math.max(0, to));
  }
}
