/**
 * Why a task failed, in one human sentence, from tart's own text (its messages for pull, set and
 * run): a missing image or tag, a disk that can only grow, the two-macOS-VM
 * limit (with the VMs tart names, so the UI can offer to stop one), no network, a VM that is gone,
 * a cancel (in the server's words, which say what was left behind).
 * `retry` says whether trying the same request again can help; `raw` is tart's text, once
 * (error and stderr folded together), for the UI to keep folded away.
 */
import type { Task } from "../api/types.ts";

export interface FailureExplanation {
  /** The sentence to show. */
  summary: string;
  /** Whether Retry of the same request can succeed (after the user did what `summary` says). */
  retry: boolean;
  /** tart's own words: the error, then any stderr that says more; "" when there is none. */
  raw: string;
  /** Running VMs tart named as taking the slots (the VM limit): stopping one frees a slot. */
  stopCandidates: string[];
  /** A known case was recognised (else `summary` is tart's first line). */
  known: boolean;
}

type FailedTask = Pick<Task, "action" | "error" | "stderr"> & Partial<Pick<Task, "vm_name" | "command">>;

/** tart's text, once: the error line, then the stderr lines that are not just that line again. */
export function rawFailureText(task: Pick<Task, "error" | "stderr">): string {
  const error = (task.error ?? "").trim();
  const stderr = (task.stderr ?? "").trim();
  if (!stderr) return error;
  if (!error || stderr.includes(error)) return stderr;
  // The server may prefix tart's line with what it was doing ("tart run exited before …: <line>").
  if (error.includes(stderr)) return error;
  return `${error}\n${stderr}`;
}

const NETWORK = [
  /network connection was lost/i,
  /internet connection appears to be offline/i,
  /a server with the specified hostname could not be found/i,
  /could not connect to the server/i,
  /request timed out/i,
  /network is unreachable/i,
  /connection refused/i,
  /not connected to the internet/i,
];

/** A task someone cancelled (the server's error starts with "cancelled"). */
export const isCancelled = (task: Pick<Task, "error">): boolean => /^cancelled\b/i.test(task.error ?? "");

export function explainFailure(task: FailedTask): FailureExplanation {
  const raw = rawFailureText(task);
  const text = `${task.error ?? ""}\n${task.stderr ?? ""}`;
  const base = { raw, stopCandidates: [] as string[], known: true };
  const subject = task.vm_name ?? "the image";

  // The server's own words for a cancel, which already say what was left behind.
  if (isCancelled(task)) {
    const said = (task.error ?? "").trim();
    return { ...base, raw: "", retry: true, summary: said.charAt(0).toUpperCase() + said.slice(1) };
  }

  if (/MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest unknown|code: 404\b|\b404 Not Found\b/i.test(text)) {
    return { ...base, retry: false, summary: `The registry has no image ${subject}: check the name and the tag.` };
  }
  const shrink = /new disk size of ([\d.]+ ?[KMGT]?B) should be larger than the current disk size of ([\d.]+ ?[KMGT]?B)/i.exec(text);
  if (shrink) {
    return {
      ...base,
      retry: false,
      summary: `tart can only grow a disk: ${shrink[1]} is smaller than the source's ${shrink[2]}. Create again with ${shrink[2]} or more.`,
    };
  }
  const limit = /number of VMs exceeds the system limit(?: \(other running VMs: ([^)]*)\))?/i.exec(text);
  if (limit) {
    const names = (limit[1] ?? "").split(",").map((n) => n.trim()).filter(Boolean);
    return {
      ...base,
      retry: true,
      stopCandidates: names,
      summary: `macOS runs at most two macOS VMs at a time${names.length ? ` and ${names.join(" and ")} ${names.length === 1 ? "is" : "are"} running` : ""}: stop one, then retry.`,
    };
  }
  const minimum = /LessThanMinimalResourcesError: VM should have (.*?) at minimum/i.exec(text);
  if (minimum) {
    const bytes = /^(\d+) bytes of memory$/.exec(minimum[1]!);
    const what = bytes ? `${Math.round(Number(bytes[1]) / 1024 ** 3)} GB of memory` : minimum[1];
    return { ...base, retry: false, summary: `This VM needs at least ${what}: create it again with more.` };
  }
  if (NETWORK.some((re) => re.test(text))) {
    return { ...base, retry: true, summary: "The registry could not be reached: check the network connection, then retry." };
  }
  const gone = /the specified VM "([^"]+)" does not exist/i.exec(text);
  if (gone) return { ...base, retry: false, summary: `The VM ${gone[1]} does not exist (any more).` };
  const running = /VM "([^"]+)" is running/i.exec(text);
  if (running && task.action === "delete_vm") {
    return { ...base, retry: true, summary: `${running[1]} is running: stop it, then retry the delete.` };
  }
  if (/VM "([^"]+)" is not running/i.test(text) && task.action === "stop_vm") {
    return { ...base, retry: false, summary: `${task.vm_name ?? "The VM"} was not running.` };
  }
  const first = (task.error ?? "").split("\n")[0]?.trim() || firstLine(task.stderr) || "The operation failed.";
  // An unrecognised failure: tart's first line is the sentence, and the rest stays folded.
  return { summary: first, retry: true, raw: raw === first ? "" : raw, stopCandidates: [], known: false };
}

function firstLine(text: string | null | undefined): string {
  return (text ?? "").split("\n").map((l) => l.trim()).find(Boolean) ?? "";
}
