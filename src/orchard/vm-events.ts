/**
 * A cluster VM's log, read as Orchard's clients read it (spec orchard.md §6): `GET
 * /v1/vms/{name}/events?limit=N&cursor=C`, following `X-Next-Cursor` while it is given. Orchard
 * has no "follow": the cursor is only handed out while more events remain, so this reader keeps
 * the cursor of the page it is on and how many of that page it has passed, and asks for that page
 * again on the next poll — each event is delivered once, none skipped.
 */
import type { ControllerClient } from "./controller-client.ts";

interface OrchardEvent {
  kind?: string;
  timestamp?: number;
  payload?: string;
}

export const EVENTS_PAGE = 100;

export class VmEventReader {
  private pageCursor: string | null = null;
  private passedInPage = 0;

  constructor(
    private readonly client: ControllerClient,
    private readonly vmName: string,
    private readonly pageSize = EVENTS_PAGE,
  ) {}

  /** Every event not delivered before, oldest first (several pages when that many arrived). */
  async next(signal?: AbortSignal): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const query = `limit=${this.pageSize}${this.pageCursor ? `&cursor=${encodeURIComponent(this.pageCursor)}` : ""}`;
      const { body, headers } = await this.client.call<OrchardEvent[]>("GET", `/vms/${encodeURIComponent(this.vmName)}/events?${query}`, undefined, signal);
      const events = body ?? [];
      for (const event of events.slice(this.passedInPage)) if (typeof event.payload === "string") lines.push(event.payload.replace(/\r?\n$/, ""));
      const nextCursor = headers.get("x-next-cursor");
      if (nextCursor && events.length >= this.pageSize) {
        this.pageCursor = nextCursor;
        this.passedInPage = 0;
        continue;
      }
      this.passedInPage = Math.max(this.passedInPage, events.length);
      return lines;
    }
  }
}
