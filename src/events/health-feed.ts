/**
 * `health` events: the health as `GET /api/health` answers it, sent when what it says changes
 * (tart found or lost, the inventory going stale or recovering) — not at every look at tart,
 * whose time alone (`inventory.refreshed_at`) is not news.
 */
import type { Health } from "../http/models/health.ts";
import type { EventLog } from "./event-log.ts";

export class HealthFeed {
  private last: string;
  private readonly unsubscribers: (() => void)[];

  constructor(
    private readonly current: () => Health,
    changes: ((listener: () => void) => () => void)[],
    private readonly log: EventLog,
  ) {
    this.last = this.key(current());
    this.unsubscribers = changes.map((subscribe) => subscribe(() => this.check()));
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }

  private check(): void {
    const health = this.current();
    const key = this.key(health);
    if (key === this.last) return;
    this.last = key;
    this.log.publish("health", health);
  }

  private key(health: Health): string {
    return JSON.stringify({ ...health, inventory: { ...health.inventory, refreshed_at: null } });
  }
}
