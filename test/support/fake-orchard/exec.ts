/**
 * `GET /v1/vms/{name}/exec?command=…&interactive=&tty=&rows=&cols=&wait=10` (spec orchard.md §7,
 * api_vms_exec.go, execstream/frame.go), the legacy (non-`session`) kind: 400
 * `{"message":"\"command\" parameter cannot be empty"}`, 400 `{"message"}` for a bad boolean or
 * size, 400 empty for a bad `wait`; the VM wait of port-forward (404, 408, 417); 503 JSON when the
 * controller cannot SSH in (`cluster.sshRefused`). Then JSON text frames: stdin (base64, empty =
 * EOF) and resize `{"terminal":{"rows","cols"}}` from the client; stdout/stderr (base64, with a
 * watermark), then `{"type":"exit","exit":{"code":N}}` and a normal close. Any other client frame
 * ends the session (legacy sessions have no history/ack/detach/close).
 * The controller "SSHes into the VM": the guest is this machine, so the command really runs
 * here through `sh -c` (as sshd runs it through the user's shell, with SHELL set to the login
 * shell), in a real pseudo-terminal of rows×cols when tty=true (Bun's spawn `terminal`, which a
 * resize frame resizes as SSH's window-change does).
 */
import { readFileSync } from "node:fs";
import type { ServerWebSocket, Subprocess } from "bun";
import type { FakeCluster } from "./cluster.ts";
import { waitForRunning } from "./port-forward.ts";

export interface ExecPlan {
  command: string;
  interactive: boolean;
  tty: boolean;
  rows: number;
  cols: number;
}

export interface ExecSocketData {
  kind: "exec";
  plan: ExecPlan;
  proc?: Subprocess;
  terminal?: Bun.Terminal;
  watermark: number;
  closed: boolean;
}

const message = (status: number, text: string) => Response.json({ message: text }, { status });

/** Go's strconv.ParseBool. */
const BOOLS: Record<string, boolean> = { "1": true, t: true, T: true, TRUE: true, true: true, True: true, "0": false, f: false, F: false, FALSE: false, false: false, False: false };

/** The checks before the upgrade: a Response to answer, or what to run. */
export async function execPlan(cluster: FakeCluster, name: string, url: URL): Promise<Response | ExecPlan> {
  const query = url.searchParams;
  const command = query.get("command") ?? "";
  if (command === "") return message(400, '"command" parameter cannot be empty');
  const flag = (key: string): boolean | string => {
    const raw = query.get(key);
    if (raw === null) return false;
    return raw in BOOLS ? BOOLS[raw]! : `"${key}" parameter must be a boolean`;
  };
  const interactive = flag("interactive");
  if (typeof interactive === "string") return message(400, interactive);
  const tty = flag("tty");
  if (typeof tty === "string") return message(400, tty);
  const size = (key: string): number | string => {
    const raw = query.get(key) ?? "";
    if (raw === "") return 0;
    return /^[0-9]+$/.test(raw) && Number(raw) <= 0xffffffff ? Number(raw) : `"${key}" parameter must be an unsigned integer`;
  };
  const rows = size("rows");
  if (typeof rows === "string") return message(400, rows);
  const cols = size("cols");
  if (typeof cols === "string") return message(400, cols);
  if ((rows === 0) !== (cols === 0)) return message(400, '"rows" and "cols" must be provided together');
  const waitText = query.get("wait") ?? "10";
  if (!/^[0-9]+$/.test(waitText) || Number(waitText) > 0xffff) return new Response(null, { status: 400 });
  const refused = await waitForRunning(cluster, name, Number(waitText));
  if (refused) return refused;
  if (cluster.sshRefused.has(name)) {
    return message(503, "failed to establish SSH connection to a VM: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], no supported methods remain");
  }
  return { command, interactive: interactive || tty, tty, rows, cols };
}

function send(ws: ServerWebSocket<ExecSocketData>, type: "stdout" | "stderr", bytes: Uint8Array): void {
  if (ws.data.closed) return;
  ws.data.watermark += bytes.byteLength;
  ws.send(JSON.stringify({ type, data: Buffer.from(bytes).toString("base64"), watermark: ws.data.watermark }));
}

async function pump(ws: ServerWebSocket<ExecSocketData>, type: "stdout" | "stderr", stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    send(ws, type, value);
  }
}

/**
 * The login shell sshd would run: this user's /etc/passwd entry. Not `os.userInfo().shell`, which
 * Bun fills from $SHELL ("unknown" where it is unset, as in CI), nor $SHELL itself.
 */
function loginShell(): string {
  const uid = String(process.getuid?.() ?? 0);
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const fields = line.split(":");
      if (fields[2] === uid && fields[6]) return fields[6];
    }
  } catch {}
  return "/bin/sh";
}

export const execSocket = {
  open(ws: ServerWebSocket<ExecSocketData>) {
    const { plan } = ws.data;
    const env = { ...process.env, SHELL: loginShell() };
    const argv = ["/bin/sh", "-c", plan.command];
    const cwd = process.env.HOME ?? "/";
    let output: Promise<unknown>;
    if (plan.tty) {
      const proc = Bun.spawn(argv, {
        env: { ...env, TERM: "xterm-256color" },
        cwd,
        terminal: { cols: plan.cols || 80, rows: plan.rows || 24, name: "xterm-256color", data: (_terminal, bytes) => send(ws, "stdout", bytes) },
      });
      ws.data.terminal = proc.terminal!;
      ws.data.proc = proc;
      output = Promise.resolve();
    } else {
      const proc = Bun.spawn(argv, { env, cwd, stdin: plan.interactive ? "pipe" : "ignore", stdout: "pipe", stderr: "pipe" });
      ws.data.proc = proc;
      output = Promise.all([pump(ws, "stdout", proc.stdout), pump(ws, "stderr", proc.stderr)]);
    }
    const proc = ws.data.proc!;
    void Promise.all([proc.exited, output]).then(async ([code]) => {
      if (plan.tty) await Bun.sleep(30); // the PTY's last bytes arrive after the exit
      ws.data.terminal?.close();
      if (ws.data.closed) return;
      ws.send(JSON.stringify({ type: "exit", exit: { code: code ?? 255 } }));
      ws.close(1000, "Command finished");
    });
  },
  message(ws: ServerWebSocket<ExecSocketData>, data: string | Buffer) {
    if (typeof data !== "string") return; // binary frames are skipped
    let frame: { type?: unknown; data?: unknown; terminal?: { rows?: unknown; cols?: unknown } };
    try {
      frame = JSON.parse(data);
    } catch {
      return void ws.terminate();
    }
    const proc = ws.data.proc;
    if (frame.type === "stdin") {
      const bytes = Buffer.from(typeof frame.data === "string" ? frame.data : "", "base64");
      if (ws.data.terminal) {
        if (bytes.byteLength) ws.data.terminal.write(bytes);
      } else if (proc && ws.data.plan.interactive) {
        const stdin = proc.stdin as import("bun").FileSink;
        if (bytes.byteLength) stdin.write(bytes);
        else stdin.end(); // an empty stdin frame is EOF
      }
      return;
    }
    if (frame.type === "resize") {
      const rows = Number(frame.terminal?.rows);
      const cols = Number(frame.terminal?.cols);
      if (!frame.terminal) return void ws.terminate(); // "terminal size is required"
      if (ws.data.terminal && rows > 0 && cols > 0) ws.data.terminal.resize(cols, rows);
      return;
    }
    ws.terminate(); // "unexpected frame type received"
  },
  close(ws: ServerWebSocket<ExecSocketData>) {
    ws.data.closed = true;
    const proc = ws.data.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill("SIGHUP");
  },
};
