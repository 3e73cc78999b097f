/**
 * One-time tickets for the console and shell websockets. A browser cannot send the API token in
 * a websocket's headers, and a token in a URL can end up in history and logs; so the page asks
 * for a ticket through the guarded API (POST …/console, …/shell) and opens the socket with it.
 * A ticket is 256 random bits, valid TICKET_TTL_MS, good for one upgrade only, and bound to one
 * VM and one kind of socket. Kept by its SHA-256 digest, so the lookup does not compare secrets.
 */
const TICKET_TTL_MS = 30_000;

/** "cluster-console": an Orchard cluster VM's console, its VM named "<cluster>/<name>". */
export type TicketKind = "console" | "shell" | "cluster-console" | "cluster-shell";

interface Issued {
  vm: string;
  kind: TicketKind;
  expires: number;
}

export class ConsoleTickets {
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly now: () => number = Date.now) {}

  readonly ttlSeconds = TICKET_TTL_MS / 1000;

  issue(vm: string, kind: TicketKind): string {
    this.sweep();
    const ticket = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    this.issued.set(digest(ticket), { vm, kind, expires: this.now() + TICKET_TTL_MS });
    return ticket;
  }

  /** True once for a live ticket of this VM and kind; the ticket is spent either way. */
  redeem(ticket: string | null | undefined, vm: string, kind: TicketKind): boolean {
    if (!ticket || ticket.length > 128) return false;
    const key = digest(ticket);
    const found = this.issued.get(key);
    if (!found) return false;
    this.issued.delete(key);
    return found.vm === vm && found.kind === kind && found.expires > this.now();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.issued) if (entry.expires <= now) this.issued.delete(key);
  }
}

const digest = (ticket: string) => new Bun.CryptoHasher("sha256").update(ticket).digest("hex");
