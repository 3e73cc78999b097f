/**
 * The one stream of what changed: VMs added, changed, removed; tasks created, updated, finished;
 * the server's health. Every event gets an id one above the last; the newest `capacity` events
 * are kept, so a client that reconnects with the last id it saw gets what it missed, or `null`
 * (resync: load everything again) when the ring has moved past it.
 *
 * Ids start from the clock (microseconds at start-up), so they keep increasing across a restart
 * and a client holding an id of the previous run is told to resync instead of being answered
 * from a ring that never held its events.
 */
export type EventType = "vm.added" | "vm.changed" | "vm.removed" | "task.created" | "task.updated" | "task.finished" | "health";

export interface StreamEvent {
  id: number;
  type: EventType;
  /** Unix seconds. */
  at: number;
  data: unknown;
}

export type EventListener = (event: StreamEvent) => void;

export class EventLog {
  private readonly ring: (StreamEvent | undefined)[];
  private next: number;
  private readonly first: number;
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly capacity = 10_000,
    start = Date.now() * 1000,
  ) {
    this.ring = new Array(capacity);
    this.first = start;
    this.next = start;
  }

  /** The id of the newest event, or one below the first id when there is none yet. */
  get lastId(): number {
    return this.next - 1;
  }

  publish(type: EventType, data: unknown): StreamEvent {
    const event: StreamEvent = { id: this.next++, type, at: Date.now() / 1000, data };
    this.ring[event.id % this.capacity] = event;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Every event after `id`, oldest first; null when some of them are no longer kept (or never were). */
  since(id: number): StreamEvent[] | null {
    if (!Number.isSafeInteger(id) || id > this.lastId || id < this.first - 1) return null;
    const oldestKept = Math.max(this.first, this.next - this.capacity);
    if (id + 1 < oldestKept) return null;
    const events: StreamEvent[] = [];
    for (let i = id + 1; i < this.next; i++) events.push(this.ring[i % this.capacity]!);
    return events;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
