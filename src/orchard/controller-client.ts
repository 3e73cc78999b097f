/**
 * One Orchard controller's REST API over fetch (spec orchard.md §2–§7): HTTP Basic with the
 * cluster's service account, TLS pinned as Orchard's client pins it (tls-pinning.ts), a timeout on
 * every call, and a User-Agent of this app's own — never `Orchard/0…`, which the controller takes
 * for a worker reporting VM state. Failures come back as an OrchardFailure saying what went wrong
 * (unreachable, timeout, TLS, or the controller's status with its `{"message"}`), which
 * cluster-errors.ts turns into this server's errors.
 */
import type { ClusterConfig } from "./cluster-config.ts";
import { pinnedTls, type PinnedTls } from "./tls-pinning.ts";

export type FailureKind = "unreachable" | "timeout" | "tls" | "http";

export class OrchardFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The controller's status for "http"; 0 otherwise. */
    readonly status: number,
    /** The controller's `message`, or what the network said; "" for an empty body. */
    readonly reason: string,
  ) {
    super(reason || `HTTP ${status}`);
    this.name = "OrchardFailure";
  }
}

export interface ClientOptions {
  userAgent: string;
  timeoutMs: number;
}

export interface Answer<T> {
  body: T;
  headers: Headers;
}

const TLS_CODES = /CERT|SELF_SIGNED|TLS|SSL|HOSTNAME|ERR_TLS|UNABLE_TO_VERIFY|ALTNAME/i;

export class ControllerClient {
  /** Parsed once: the certificate of a config never changes (a new config makes a new client). */
  private readonly tls: PinnedTls | undefined;

  constructor(
    readonly config: ClusterConfig,
    private readonly options: ClientOptions,
  ) {
    if (options.userAgent.startsWith("Orchard/0")) throw new Error("a third-party client must not send User-Agent Orchard/0…");
    this.tls = config.certificate ? pinnedTls(config.certificate) : undefined;
  }

  /** A JSON call; `body` undefined sends none. Empty answers parse as null. */
  async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, timeoutMs = this.options.timeoutMs): Promise<Answer<T>> {
    const { response, timeout, stopTimer } = await this.send(method, path, body, signal, timeoutMs);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw timeout.aborted ? timedOut(timeoutMs) : this.networkFailure(error, signal);
    } finally {
      stopTimer();
    }
    if (!response.ok) throw new OrchardFailure("http", response.status, messageOf(text));
    return { body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
  }

  /**
   * `GET /v1/vms/{name}?watch=true`: every NDJSON line as it arrives, until `signal` aborts or
   * the controller closes. No timeout beyond the connect: a watch is meant to stay open.
   */
  async *watch<T>(path: string, signal: AbortSignal): AsyncGenerator<T> {
    const { response, stopTimer } = await this.send("GET", path, undefined, signal, this.options.timeoutMs);
    stopTimer(); // the timeout covers the connect and the headers: a watch's stream stays open
    if (!response.ok) throw new OrchardFailure("http", response.status, messageOf(await response.text().catch(() => "")));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) yield JSON.parse(line) as T;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw this.networkFailure(error, signal);
    } finally {
      reader.releaseLock();
    }
  }

  /** The URL and headers of a websocket to the controller (port-forward), for the console to use. */
  websocketRequest(path: string): { url: string; headers: Record<string, string>; tls?: PinnedTls } {
    return {
      url: this.url(path).replace(/^http/, "ws"),
      headers: this.headers(),
      ...(this.tls ? { tls: this.tls } : {}),
    };
  }

  /**
   * Sends the request under a timeout that keeps running until `stopTimer`: a controller that
   * sends its headers and then stalls the body must time out too, so a call stops it only once
   * the body is read.
   */
  private async send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, timeoutMs: number) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const stopTimer = () => clearTimeout(timer);
    const signals = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const headers = this.headers();
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      const response = await fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signals,
        redirect: "error",
        ...(this.tls ? { tls: this.tls } : {}),
      });
      return { response, timeout: timeout.signal, stopTimer };
    } catch (error) {
      stopTimer();
      throw timeout.signal.aborted ? timedOut(timeoutMs) : this.networkFailure(error, signal);
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { "user-agent": this.options.userAgent, accept: "application/json" };
    const { serviceAccountName: name, serviceAccountToken: token } = this.config;
    if (name && token) headers.authorization = `Basic ${Buffer.from(`${name}:${token}`).toString("base64")}`;
    return headers;
  }

  private url(path: string): string {
    return `${this.config.url}/v1${path}`;
  }

  private networkFailure(error: unknown, signal: AbortSignal | undefined): OrchardFailure {
    if (signal?.aborted) return new OrchardFailure("unreachable", 0, "cancelled");
    const code = String((error as { code?: string })?.code ?? "");
    const text = (error as Error)?.message ?? String(error);
    if (TLS_CODES.test(code) || TLS_CODES.test(text)) return new OrchardFailure("tls", 0, `${text}${code ? ` (${code})` : ""}`);
    return new OrchardFailure("unreachable", 0, text);
  }
}

const timedOut = (timeoutMs: number) => new OrchardFailure("timeout", 0, `no answer within ${timeoutMs / 1000} s`);

/** Orchard's error body `{"message": …}`; "" for the empty bodies of its plain 401/404/503s. */
function messageOf(text: string): string {
  if (!text) return "";
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed?.message === "string" ? parsed.message : "";
  } catch {
    return text.slice(0, 200);
  }
}
