/**
 * Template id → column index, growing as templates appear. Columns are never reused or renumbered,
 * so a matrix built earlier stays valid (new columns only append). `freeze()` stops growth: the
 * detectors are trained on a fixed width, and later templates map to -1 (the counts' "unseen" column).
 */
export class Vocabulary {
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private frozen = false;

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.ids.length;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Column of `id`, adding it when new (and not frozen); -1 when frozen and unknown. */
  add(id: string): number {
    const at = this.index.get(id);
    if (at !== undefined) return at;
    if (this.frozen) return -1;
    const col = this.ids.length;
    this.index.set(id, col);
    this.ids.push(id);
    return col;
  }

  /** Column of `id` without adding; -1 when unknown. */
  get(id: string): number {
    return this.index.get(id) ?? -1;
  }

  idOf(col: number): string | undefined {
    return this.ids[col];
  }

  /** All ids in column order (a copy). */
  list(): string[] {
    return this.ids.slice();
  }

  freeze(): this {
    this.frozen = true;
    return this;
  }

  /** An unfrozen copy with the same columns. */
  clone(): Vocabulary {
    return new Vocabulary(this.ids);
  }
}
