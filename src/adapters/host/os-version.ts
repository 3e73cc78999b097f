/**
 * The host's operating system and its version, read once (it does not change while the server
 * runs). On macOS it is the product version `sw_vers -productVersion` prints (`15.5`), the one
 * people know; `os.release()` there is the Darwin kernel's (`24.5.0`). Elsewhere (Linux, where
 * the tests run) there is no product version to ask: the kernel release stands in, and
 * `source` says which one the answer is.
 */
import { platform, release } from "node:os";

export interface HostOs {
  /** `macOS`, or the platform's name as Node calls it (`linux`). */
  name: string;
  version: string | null;
  source: "sw_vers" | "os.release";
}

const SW_VERS = "/usr/bin/sw_vers";
const SW_VERS_TIMEOUT_MS = 5_000;

let asked: Promise<HostOs> | null = null;

/** The answer is asked for once per process and shared: HostReport, run options and creates all read it. */
export function readHostOs(): Promise<HostOs> {
  return (asked ??= askHostOs());
}

async function askHostOs(): Promise<HostOs> {
  if (platform() !== "darwin") return { name: platform(), version: release(), source: "os.release" };
  try {
    const proc = Bun.spawn([SW_VERS, "-productVersion"], { stdin: "ignore", stdout: "pipe", stderr: "ignore", timeout: SW_VERS_TIMEOUT_MS });
    const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    if (code === 0 && text.trim()) return { name: "macOS", version: text.trim(), source: "sw_vers" };
  } catch {
    // Fall through to the kernel's version.
  }
  return { name: "macOS", version: release(), source: "os.release" };
}
