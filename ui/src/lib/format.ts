/**
 * Display formatting: sizes, durations, times. Pure functions of their inputs (the current
 * time is a parameter) so rendering is deterministic and unit-tested.
 */

/** tart reports memory as "8G"/"8192M" through the API; show "8 GB". */
export function formatMemory(memory: string | number | null | undefined): string {
  if (memory == null || memory === "") return "—";
  if (typeof memory === "number") return `${memory} GB`;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT])i?B?\s*$/i.exec(memory);
  if (!m) return memory;
  const n = Number(m[1]);
  const unit = (m[2] ?? "G").toUpperCase();
  if (unit === "M" && n >= 1024 && n % 1024 === 0) return `${n / 1024} GB`;
  return `${n} ${unit}B`;
}

/** Disk sizes come as a GB number (inventory) or a normalised "50G" string (config). */
export function formatDisk(disk: string | number | null | undefined): string {
  if (disk == null || disk === "") return "—";
  if (typeof disk === "number") return `${disk} GB`;
  return formatMemory(disk);
}

/** size_on_disk is GB as a float; keep small images readable. */
export function formatSizeOnDisk(gb: number | null | undefined): string {
  if (gb == null || !Number.isFinite(gb)) return "—";
  if (gb < 1) return `${Math.round(gb * 1024)} MB`;
  return `${gb < 10 ? gb.toFixed(1) : Math.round(gb)} GB`;
}

export function formatCpu(cpu: number | null | undefined): string {
  if (cpu == null) return "—";
  return `${cpu} ${cpu === 1 ? "core" : "cores"}`;
}

/** 5 → "5s", 75 → "1m 15s", 3700 → "1h 1m". Negative or NaN inputs count as 0. */
export function formatDuration(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

/** Local date-time for a unix-seconds timestamp. */
export function formatTimestamp(unixSeconds: number | null | undefined): string {
  if (unixSeconds == null || !Number.isFinite(unixSeconds)) return "—";
  const d = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "3 min ago"-style text for an ISO date (catalogue updated_at, VM accessed). */
export function formatRelative(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = Math.round((nowMs - t) / 1000);
  if (diff < 0) return "just now";
  if (diff < 60) return "just now";
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff < 86400) return `${Math.floor(diff / 3600)} h ago`;
  const days = Math.floor(diff / 86400);
  if (days < 60) return `${days} ${days === 1 ? "day" : "days"} ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** Human words for a task action: "pull_vm" → "Pull", "create_vm" → "Create". */
export function actionLabel(action: string): string {
  const verb = action.replace(/_vm$/, "");
  return verb ? verb.charAt(0).toUpperCase() + verb.slice(1).replace(/_/g, " ") : "Task";
}

/**
 * What a task is about: its VM, or for a clone `SOURCE → TARGET` (the source is in the task's
 * `command`, `tart clone SOURCE TARGET`, while `vm_name` is the new VM).
 */
export function taskSubject(task: {
  action: string;
  vm_name?: string | null;
  command?: readonly string[] | null;
  logs?: readonly string[];
}): string {
  if (task.action === "clone_vm") {
    const cmd = task.command ?? [];
    const clone = cmd.indexOf("clone");
    const [source, target] = clone >= 0 ? cmd.slice(clone + 1).filter((a) => !a.startsWith("-")) : [];
    if (source && target) return `${source} → ${target}`;
    // A clone that started its VM afterwards ends with `tart run` as its command: its log still
    // has the clone line.
    for (const line of task.logs ?? []) {
      const m = /\btart clone (?:--\S+ )*(\S+) (\S+)/.exec(line);
      if (m) return `${m[1]} → ${m[2]}`;
    }
  }
  if (task.action === "rename_vm") {
    const cmd = task.command ?? [];
    const at = cmd.indexOf("rename");
    const [from, to] = at >= 0 ? cmd.slice(at + 1) : [];
    if (from && to) return `${from} → ${to}`;
  }
  return task.vm_name ?? "";
}

/** A task's verb: its action's, except a forced stop (`tart stop --timeout 0`), which says so. */
export function taskVerb(task: { action: string; command?: readonly string[] | null }): string {
  const at = task.command?.indexOf("--timeout") ?? -1;
  if (task.action === "stop_vm" && at >= 0 && task.command?.[at + 1] === "0") return "Force stop";
  return actionLabel(task.action);
}

/** The task's whole title: "Start vm-1", "Clone base → copy", "Force stop vm-1". */
export const taskTitle = (task: Parameters<typeof taskSubject>[0]): string => `${taskVerb(task)} ${taskSubject(task)}`.trim();

/**
 * A command line as one copyable string, as the task log shows it: tart by name rather than the
 * server's path to it, arguments with spaces or quotes single-quoted.
 */
export function shellCommand(argv: readonly string[]): string {
  return argv.map((a, i) => (i === 0 && /(^|\/)tart$/.test(a) ? "tart" : a)).map((a) => (/^[A-Za-z0-9_./:@=+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

export function sshCommand(ip: string, user = "admin"): string {
  return `ssh ${user}@${ip}`;
}

export function vncUrl(ip: string): string {
  return `vnc://${ip}`;
}
