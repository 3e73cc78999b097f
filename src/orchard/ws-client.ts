/**
 * The `ws` client API (Bun's own) for the controller's websockets, loaded on the first cluster
 * console or shell: the module brings node:http and its streams along, which a start-up, and a
 * server with no cluster at all, need not pay for.
 */
import type WebSocket from "ws";

let loaded: typeof WebSocket | null = null;

export function wsClient(): typeof WebSocket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require("ws") as typeof WebSocket);
}
