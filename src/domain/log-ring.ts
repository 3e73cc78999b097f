/**
 * A task's log in memory: the newest `capacity` lines, plus how many lines came before them, so a
 * client that knows an offset can ask for only what is new. The full log lives in a file.
 */
export class LogRing {
  private lines: string[] = [];
  private dropped = 0;

  constructor(
    private readonly capacity: number,
    initial: string[] = [],
    droppedBefore = 0,
  ) {
    this.lines = initial.slice(-capacity);
    this.dropped = droppedBefore + Math.max(0, initial.length - capacity);
  }

  push(line: string): void {
    this.lines.push(line);
    // Trim in batches: one splice per `capacity/4` lines instead of a shift per line.
    if (this.lines.length > this.capacity + (this.capacity >> 2)) {
      const excess = this.lines.length - this.capacity;
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Index of the first retained line in the whole log. */
  get firstOffset(): number {
    return this.dropped + Math.max(0, this.lines.length - this.capacity);
  }

  /** Number of lines ever logged. */
  get total(): number {
    return this.dropped + this.lines.length;
  }

  /** The retained lines (at most `capacity`). */
  all(): string[] {
    return this.lines.length > this.capacity ? this.lines.slice(-this.capacity) : this.lines.slice();
  }

  /** Lines from `offset` on (clamped to what is retained), and the offset they start at. */
  since(offset: number): { offset: number; lines: string[] } {
    const start = Math.max(offset, this.firstOffset);
    return { offset: start, lines: this.lines.slice(start - this.dropped) };
  }
}
