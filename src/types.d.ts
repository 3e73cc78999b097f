/** The UI's embedded files, resolved by build.ts when compiling; absent when run from source. */
declare module "taartenfabriek:ui-bundle" {
  export const files: Record<string, string>;
}

/**
 * Bun's built-in `ws` (the npm package's client API, implemented by the runtime, so no package
 * is installed): only what src/orchard/port-forward-link.ts and exec-link.ts use. Bun's `tls` option is the one
 * its fetch() and WebSocket take (pinned CA and server name).
 */
declare module "ws" {
  namespace WebSocket {
    interface ClientOptions {
      headers?: Record<string, string>;
      tls?: { ca?: string; serverName?: string };
    }
  }
  class WebSocket {
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    constructor(url: string, options?: WebSocket.ClientOptions);
    readonly readyState: number;
    readonly bufferedAmount: number;
    send(data: Uint8Array | string, options?: { binary?: boolean }): void;
    pause(): void;
    resume(): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    on(event: "open", listener: () => void): this;
    on(event: "message", listener: (data: Buffer | string, isBinary: boolean) => void): this;
    on(event: "close", listener: (code: number, reason: Buffer) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
    on(event: "unexpected-response", listener: (request: unknown, response: { statusCode?: number }) => void): this;
  }
  export default WebSocket;
}
