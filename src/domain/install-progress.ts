/**
 * A `tart create --from-ipsw`'s progress, read from the lines tart prints (Create.swift, with CI
 * set so each update is a plain line), as the Task's `install_progress` (docs/API.md):
 *   Looking up the latest supported IPSW...     (for `latest`)
 *   Fetching UniversalMac_15.5_24F74_Restore.ipsw...   then 0% … 100%
 *   or Using cached UniversalMac_….ipsw file...
 *   Installing OS...                            then 0% … 100%
 * tart's percent restarts at 0 for the install, so the Task's `progress` is the whole job's: the
 * download is its first half when there is one, the install the rest. Pure: lines in, state out.
 */
import { cleanLine, progressOf } from "./text.ts";

export type InstallPhase = "lookup" | "download" | "cached" | "install" | "done";

/** The Task's `install_progress` (docs/API.md). */
export interface InstallProgress {
  phase: InstallPhase;
  /** The current phase's percent, as tart prints it; null before its first line. */
  percent: number | null;
  /** The IPSW being fetched or used, when tart named it. */
  ipsw: string | null;
}

const LINES: [RegExp, InstallPhase][] = [
  [/^Looking up the latest supported IPSW\.\.\.$/, "lookup"],
  [/^Fetching (\S+)\.\.\.$/, "download"],
  [/^Using cached (\S+) file\.\.\.$/, "cached"],
  [/^Installing OS\.\.\.$/, "install"],
];

export class InstallProgressTracker {
  state: InstallProgress | null = null;
  private downloaded = false;

  /** Feeds one stdout line; true when the state changed. */
  line(raw: string): boolean {
    const line = cleanLine(raw).trim();
    for (const [pattern, phase] of LINES) {
      const match = pattern.exec(line);
      if (!match) continue;
      if (phase === "download") this.downloaded = true;
      this.state = { phase, percent: null, ipsw: match[1] ?? this.state?.ipsw ?? null };
      return true;
    }
    const percent = progressOf(line);
    if (percent === null || !this.state || (this.state.phase !== "download" && this.state.phase !== "install")) return false;
    this.state = { ...this.state, percent };
    return true;
  }

  /** tart ended well: whatever its last line was, the install is done. */
  done(): boolean {
    if (!this.state) return false;
    this.state = { ...this.state, phase: "done", percent: 100 };
    return true;
  }

  /** The whole job's percent (the Task's `progress`), or null while there is none. */
  overall(): number | null {
    const state = this.state;
    if (!state || state.percent === null) return state?.phase === "done" ? 100 : null;
    if (state.phase === "download") return Math.floor(state.percent / 2);
    if (state.phase === "install") return this.downloaded ? 50 + Math.floor(state.percent / 2) : state.percent;
    return state.percent;
  }
}
