// Failed tasks explained from tart's real texts (its pull, set and run messages).
import { describe, expect, test } from "bun:test";
import { explainFailure, isCancelled, rawFailureText } from "../../ui/src/lib/task-failure.ts";
import { shellCommand, taskSubject, taskTitle } from "../../ui/src/lib/format.ts";

const failed = (action: string, error: string, stderr: string | null = null, vm_name: string | null = "dev") =>
  ({ action, error, stderr, vm_name }) as Parameters<typeof explainFailure>[0];

describe("explainFailure", () => {
  test("a missing image or tag: no Retry, the reference named", () => {
    const err = 'UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: "{\\"errors\\":[{\\"code\\":\\"MANIFEST_UNKNOWN\\"}]}")';
    const why = explainFailure(failed("pull_vm", err, `Error: ${err}`, "ghcr.io/cirruslabs/nope:1"));
    expect(why.summary).toContain("ghcr.io/cirruslabs/nope:1");
    expect(why.summary).toContain("check the name and the tag");
    expect(why.retry).toBe(false);
    expect(why.raw).toBe(`Error: ${err}`); // once: stderr already holds the error line
  });
  test("a disk that can only grow", () => {
    const why = explainFailure(failed("create_vm", "new disk size of 20 GB should be larger than the current disk size of 50 GB"));
    expect(why.summary).toBe("tart can only grow a disk: 20 GB is smaller than the source's 50 GB. Create again with 50 GB or more.");
    expect(why.retry).toBe(false);
  });
  test("the two-macOS-VM limit names the VMs to stop, and Retry helps after", () => {
    const why = explainFailure(failed("start_vm", "The number of VMs exceeds the system limit (other running VMs: a, b-2)"));
    expect(why.stopCandidates).toEqual(["a", "b-2"]);
    expect(why.retry).toBe(true);
    expect(why.summary).toContain("at most two macOS VMs");
  });
  test("no network", () => {
    for (const text of ["The network connection was lost.", "A server with the specified hostname could not be found.", "The Internet connection appears to be offline."]) {
      const why = explainFailure(failed("pull_vm", text, `Error: ${text}`));
      expect(why.summary).toContain("could not be reached");
      expect(why.retry).toBe(true);
    }
  });
  test("anything else: tart's first line is the sentence, Retry offered, nothing repeated", () => {
    const why = explainFailure(failed("stop_vm", "something odd", "something odd"));
    expect(why).toMatchObject({ summary: "something odd", retry: true, raw: "", known: false });
  });
  test("rawFailureText keeps error and stderr once", () => {
    expect(rawFailureText({ error: "x", stderr: "Error: x\nmore" })).toBe("Error: x\nmore");
    expect(rawFailureText({ error: "x", stderr: "other" })).toBe("x\nother");
    expect(rawFailureText({ error: null, stderr: null })).toBe("");
  });
});

describe("task titles", () => {
  test("a clone says source → target, from its command or its log", () => {
    expect(taskTitle({ action: "clone_vm", vm_name: "b", command: ["tart", "clone", "a", "b"] })).toBe("Clone a → b");
    expect(taskSubject({ action: "clone_vm", vm_name: "b", command: ["tart", "run", "b"], logs: ["$ tart clone a b"] })).toBe("a → b");
    expect(taskTitle({ action: "clone_vm", vm_name: "b", command: null })).toBe("Clone b");
    expect(taskTitle({ action: "start_vm", vm_name: "dev", command: ["tart", "run", "dev"] })).toBe("Start dev");
  });
  test("shellCommand quotes what a shell would split", () => {
    expect(shellCommand(["tart", "run", "--vnc", "dev"])).toBe("tart run --vnc dev");
    expect(shellCommand(["tart", "set", "a b", "it's"])).toBe("tart set 'a b' 'it'\\''s'");
  });
});

test("tart's minimum resources, in GB", () => {
  const why = explainFailure(failed("create_vm", "LessThanMinimalResourcesError: VM should have 4294967296 bytes of memory at minimum (requested 8388608)"));
  expect(why.summary).toBe("This VM needs at least 4 GB of memory: create it again with more.");
  expect(why.retry).toBe(false);
  expect(shellCommand(["/opt/homebrew/bin/tart", "run", "dev"])).toBe("tart run dev");
});

test("rawFailureText: an error that already quotes stderr is not repeated", () => {
  const line = "The number of VMs exceeds the system limit (other running VMs: a, b)";
  expect(rawFailureText({ error: `tart run exited before dev was up: ${line}`, stderr: line })).toBe(`tart run exited before dev was up: ${line}`);
});

test("a cancel is said in the server's words (what was left behind), not as tart's failure", () => {
  const task = { action: "pull_vm" as const, error: "cancelled; tart removed the partial download, nothing was left behind", stderr: "Error: CancellationError()" };
  expect(isCancelled(task)).toBe(true);
  const why = explainFailure(task);
  expect(why.summary).toBe("Cancelled; tart removed the partial download, nothing was left behind");
  expect(why.retry).toBe(true);
  expect(why.raw).toBe("");
  expect(isCancelled({ error: "tart pull timed out" })).toBe(false);
});
