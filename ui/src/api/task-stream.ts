/**
 * A live subscription to one task over `/ws/tasks/{id}?mode=delta`. The server sends Task
 * messages and closes normally after the final (completed/failed) one; any other end — a dropped
 * connection, a server restart — is retried with exponential backoff until the task is seen
 * finished or the caller closes the stream. The WebSocket constructor and timer are injected so
 * the reconnect logic is tested without a browser.
 */
import type { Task } from "./types.ts";
import type { StreamState } from "../stores/tasks.ts";

export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

/** What a reconnecting socket needs from its surroundings; injected by tests, real by default. */
export interface SocketEnvironment {
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

/** The browser's WebSocket, timers and randomness where the options do not say otherwise. */
export function socketEnvironment(options: SocketEnvironment): Required<SocketEnvironment> {
  return {
    createSocket: options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike),
    setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
    clearTimer: options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
    random: options.random ?? Math.random,
  };
}

export interface TaskStreamOptions extends SocketEnvironment {
  url: string;
  onTask: (task: Task) => void;
  onState: (state: StreamState) => void;
  /** Called when the socket gives up for good without a final task (e.g. auth refused). */
  onGiveUp?: (reason: string) => void;
  /** Attempts without receiving anything before giving up; the active-task poll takes over. */
  maxAttempts?: number;
}

/** 0.5 s, 1 s, 2 s, … capped at 15 s, with ±20 % jitter so many streams do not reconnect in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Close codes that mean "do not come back": policy violation / app-level auth or not found. */
const FATAL_CODES = new Set([1008, 4001, 4003, 4004, 4401, 4403, 4404]);

export function parseTaskMessage(data: unknown): Task | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as Partial<Task>;
    if (value && typeof value.id === "string" && typeof value.status === "string") {
      return { ...value, logs: Array.isArray(value.logs) ? value.logs : [] } as Task;
    }
  } catch {
    // A malformed frame is ignored; the next one or the final fetch corrects the view.
  }
  return null;
}

export function openTaskStream(options: TaskStreamOptions): { close: () => void } {
  const { createSocket, setTimer, clearTimer, random } = socketEnvironment(options);
  const maxAttempts = options.maxAttempts ?? 12;

  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let attempt = 0;
  let finished = false;
  let stopped = false;

  const connect = () => {
    timer = null;
    if (stopped) return;
    options.onState(attempt === 0 ? "connecting" : "reconnecting");
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => options.onState("live");
    ws.onmessage = (ev) => {
      const task = parseTaskMessage(ev.data);
      if (!task) return;
      attempt = 0; // data flowed: the next drop starts the backoff afresh
      if (task.status === "completed" || task.status === "failed") finished = true;
      options.onTask(task);
    };
    ws.onerror = () => {
      // onclose always follows; reconnecting is decided there.
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      if (stopped || finished) {
        options.onState("closed");
        return;
      }
      if (FATAL_CODES.has(ev.code)) {
        options.onState("failed");
        options.onGiveUp?.(ev.reason || `the server refused the task stream (code ${ev.code})`);
        return;
      }
      attempt++;
      if (attempt > maxAttempts) {
        options.onState("failed");
        options.onGiveUp?.("the task stream kept dropping");
        return;
      }
      options.onState("reconnecting");
      timer = setTimer(connect, backoffDelay(attempt - 1, random));
    };
  };

  connect();

  return {
    close() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const ws = socket;
      socket = null;
      if (ws) closeQuietly(ws);
    },
  };
}

/** Closes a socket the caller is done with, without its close or messages reaching the handlers. */
export function closeQuietly(ws: SocketLike): void {
  ws.onclose = null;
  ws.onmessage = null;
  ws.close(1000, "done");
}
