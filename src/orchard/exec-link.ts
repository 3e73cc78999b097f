/**
 * A command in a cluster VM's terminal, through its Orchard controller's exec websocket
 * (`GET /v1/vms/{name}/exec?command=…&tty=true&rows=&cols=&wait=S`, spec orchard.md §7; the
 * controller SSHes into the VM itself): JSON text frames both ways — stdin as base64 and resize
 * `{"terminal":{"rows","cols"}}` up; stdout/stderr as base64, then `{"type":"exit"}` with the code,
 * or `{"type":"error"}`, down. Presented as a ShellProcess, so the browser's shell socket
 * (src/ws/shell-stream.ts) does not know it is not a local PTY. On Bun's built-in `ws` client,
 * as port-forward-link.ts, for the status of a refused upgrade (404/408/417/503).
 */
import { wsClient } from "./ws-client.ts";
import { UpstreamRefused } from "../console/console-upstream.ts";
import type { ShellProcess } from "../console/vm-shells.ts";
import type { TerminalSize } from "../ws/shell-stream.ts";
import { CLOSE } from "../ws/console-close-codes.ts";
import type { ControllerClient } from "./controller-client.ts";
import { controllerRefusal } from "./controller-refusals.ts";

type ControllerFrame = { type?: string; data?: string; exit?: { code?: number }; error?: string };

export interface ExecRequest {
  name: string;
  command: string;
  size: TerminalSize;
  /** The controller's own wait for the VM to run (408 after it). */
  waitSeconds: number;
}

export function openExec(client: ControllerClient, request: ExecRequest, data: (bytes: Uint8Array) => void): Promise<ShellProcess> {
  const query = new URLSearchParams({
    command: request.command,
    interactive: "true",
    tty: "true",
    rows: String(request.size.rows),
    cols: String(request.size.cols),
    wait: String(request.waitSeconds),
  });
  const target = client.websocketRequest(`/vms/${encodeURIComponent(request.name)}/exec?${query}`);
  // The controller's wait, plus its SSH login and the upgrade itself.
  const timeoutMs = (request.waitSeconds + 15) * 1000;
  return new Promise((resolve, reject) => {
    const ws = new (wsClient())(target.url, { headers: target.headers, ...(target.tls ? { tls: target.tls } : {}) });
    let opened = false;
    let settleExit: { resolve: (code: number) => void; reject: (error: Error) => void };
    const exited = new Promise<number>((resolveExit, rejectExit) => (settleExit = { resolve: resolveExit, reject: rejectExit }));
    exited.catch(() => undefined); // observed by whoever holds the process; never an unhandled rejection here
    let exitCode: number | null = null;
    let lastError: string | null = null;
    const fail = (error: UpstreamRefused) => {
      if (opened) return;
      opened = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new UpstreamRefused(CLOSE.unreachable, `no answer from the controller within ${timeoutMs / 1000} s`)), timeoutMs);
    const sendFrame = (frame: object) => {
      if (ws.readyState === wsClient().OPEN) ws.send(JSON.stringify(frame));
    };
    ws.on("unexpected-response", (_request, response) => fail(controllerRefusal(response.statusCode ?? 0, "the controller could not log in to the VM over SSH")));
    ws.on("error", (error) => fail(new UpstreamRefused(CLOSE.unreachable, error.message || "the controller could not be reached")));
    ws.on("open", () => {
      opened = true;
      clearTimeout(timer);
      resolve({
        write: (bytes) => sendFrame({ type: "stdin", data: Buffer.from(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes).toString("base64") }),
        resize: (cols, rows) => sendFrame({ type: "resize", terminal: { rows, cols } }),
        kill: () => {
          if (ws.readyState === wsClient().OPEN || ws.readyState === wsClient().CONNECTING) ws.close(1000);
        },
        exited,
      });
    });
    ws.on("message", (raw, isBinary) => {
      if (isBinary) return; // the exec stream is JSON text frames only
      let frame: ControllerFrame;
      try {
        frame = JSON.parse(String(raw)) as ControllerFrame;
      } catch {
        return;
      }
      if ((frame.type === "stdout" || frame.type === "stderr") && typeof frame.data === "string") {
        const bytes = Buffer.from(frame.data, "base64");
        if (bytes.byteLength) data(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } else if (frame.type === "exit") {
        exitCode = Number(frame.exit?.code ?? 0);
      } else if (frame.type === "error") {
        lastError = String(frame.error ?? "exec failed");
      }
    });
    ws.on("close", () => {
      clearTimeout(timer);
      if (exitCode !== null) settleExit.resolve(exitCode);
      else settleExit.reject(new UpstreamRefused(CLOSE.unreachable, lastError ? `the controller: ${lastError}` : "the controller closed the shell without an exit code"));
    });
  });
}
