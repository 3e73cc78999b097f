// GET /metrics over real HTTP, after real operations on the fake tart: behind the token, in the
// Prometheus text format (parsed strictly below: every line, every family's TYPE, histograms'
// cumulative buckets), and counting what really happened — the VMs by state as /api/vms lists
// them, the tasks that ended by action and status, and every tart call the fake logged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ seed: { local: 4, running: 1, oci: 1 }, knobs: { vm_limit: 0, registry_logins: { "secure.example.com": { alice: "right" } } } });
  await server.post("/api/vms/refresh");
});
afterAll(() => stopAll());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"\s*(,|$)/y;
const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"] };

/** The text exposition format 0.0.4, strictly: any line it does not define throws. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name in ${line}`);
      const family = families.get(name) ?? { type: "", help: "", samples: [] };
      if (kind === "TYPE") {
        if (family.type || family.samples.length) throw new Error(`TYPE after samples or twice: ${line}`);
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) throw new Error(`bad type: ${line}`);
        family.type = rest;
      } else family.help = rest;
      families.set(name, family);
      continue;
    }
    if (line.startsWith("#")) continue; // a comment
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)( -?\d+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    if (labelText) {
      const body = labelText.slice(1, -1);
      LABEL.lastIndex = 0;
      while (LABEL.lastIndex < body.length) {
        const label = LABEL.exec(body);
        if (!label) throw new Error(`bad labels in ${line}`);
        labels[label[1]!] = label[2]!.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
      }
    }
    const value = valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : valueText === "NaN" ? NaN : Number(valueText);
    if (Number.isNaN(value) && valueText !== "NaN") throw new Error(`bad value in ${line}`);
    const owner = [...families.entries()].find(([family, f]) => (SUFFIXES[f.type] ?? [""]).some((suffix) => family + suffix === name));
    if (!owner) throw new Error(`sample of no declared family: ${line}`);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) throw new Error(`duplicate series: ${line}`);
    seen.add(series);
    owner[1].samples.push({ name, labels, value });
  }
  for (const [name, family] of families) {
    if (!family.type || !family.help) throw new Error(`${name} lacks TYPE or HELP`);
    if (family.type === "histogram") checkHistogram(name, family);
  }
  return families;
}

/** Per label set: buckets ascending in `le`, counts never falling, +Inf equal to _count, a _sum. */
function checkHistogram(name: string, family: Family): void {
  const groups = new Map<string, Sample[]>();
  const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).filter(([k]) => k !== "le").sort());
  for (const sample of family.samples) if (sample.name === `${name}_bucket`) groups.set(key(sample.labels), [...(groups.get(key(sample.labels)) ?? []), sample]);
  for (const [labels, buckets] of groups) {
    const bounds = buckets.map((b) => (b.labels.le === "+Inf" ? Infinity : Number(b.labels.le)));
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
    expect(bounds.at(-1)).toBe(Infinity);
    buckets.forEach((b, i) => i && expect(b.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value));
    const count = family.samples.find((s) => s.name === `${name}_count` && key(s.labels) === labels);
    const sum = family.samples.find((s) => s.name === `${name}_sum` && key(s.labels) === labels);
    expect(count?.value).toBe(buckets.at(-1)!.value);
    expect(sum).toBeDefined();
  }
}

async function scrape(): Promise<Map<string, Family>> {
  const response = await server.fetch("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await response.text());
}

/** The value of the one sample of `name` whose labels include `labels`; 0 when there is none. */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const samples = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return samples.reduce((total, s) => total + s.value, 0);
}

describe("GET /metrics", () => {
  test("needs the token, like /api", async () => {
    expect((await server.fetch("/metrics", { token: null })).status).toBe(401);
    expect((await server.fetch("/metrics", { token: "wrong" })).status).toBe(401);
    expect((await server.fetch("/metrics")).status).toBe(200);
  });

  test("the parser is strict: it refuses what the format does not allow", () => {
    expect(() => parseExposition("x_total 1\n")).toThrow("no declared family");
    expect(() => parseExposition("# HELP x h\n# TYPE x counter\nx{a=b} 1\n")).toThrow("bad labels");
    expect(() => parseExposition("# HELP x h\n# TYPE x counter\nx 1\nx 2\n")).toThrow("duplicate series");
    expect(() => parseExposition("# HELP x h\n# TYPE x counter\nx 1 2 3\n")).toThrow("not a sample line");
    expect(() => parseExposition("# HELP x h\n# TYPE x counter\nx one\n")).toThrow("bad value");
  });

  test("VMs by kind and state are the inventory's", async () => {
    const vms = await server.get<any[]>("/api/vms");
    const families = await scrape();
    expect(families.get("taartenfabriek_vms")?.type).toBe("gauge");
    const running = vms.filter((vm) => vm.kind === "local" && vm.state === "running").length;
    expect(running).toBe(1);
    expect(value(families, "taartenfabriek_vms", { kind: "local", state: "running" })).toBe(running);
    expect(value(families, "taartenfabriek_vms", { kind: "local", state: "stopped" })).toBe(vms.filter((vm) => vm.kind === "local" && vm.state === "stopped").length);
    expect(value(families, "taartenfabriek_vms")).toBe(vms.length);
  });

  test("finished tasks by action and status, with their durations; tart calls as the fake logged them", async () => {
    const before = await scrape();
    const start = await server.waitTask((await server.startTask("/api/vms/vm-0002/start", {})).id);
    expect(start.status).toBe("completed");
    const login = await server.waitTask((await server.startTask("/api/registries/login", { host: "secure.example.com", username: "alice", password: "wrong" })).id);
    expect(login.status).toBe("failed");
    const families = await scrape();
    expect(families.get("taartenfabriek_tasks_finished_total")?.type).toBe("counter");
    expect(families.get("taartenfabriek_task_duration_seconds")?.type).toBe("histogram");
    const delta = (name: string, labels: Record<string, string>) => value(families, name, labels) - value(before, name, labels);
    expect(delta("taartenfabriek_tasks_finished_total", { action: "start_vm", status: "completed" })).toBe(1);
    expect(delta("taartenfabriek_tasks_finished_total", { action: "registry_login", status: "failed" })).toBe(1);
    expect(delta("taartenfabriek_task_duration_seconds_count", { action: "start_vm", status: "completed" })).toBe(1);
    const took = start.updated_at - start.created_at;
    expect(delta("taartenfabriek_task_duration_seconds_sum", { action: "start_vm", status: "completed" })).toBeCloseTo(took, 3);
    expect(delta("taartenfabriek_tart_calls_total", { verb: "run", outcome: "ok" })).toBe(1);
    expect(delta("taartenfabriek_tart_calls_total", { verb: "login", outcome: "failed" })).toBe(1);
    expect(value(families, "taartenfabriek_tasks_active")).toBe(0);
  });

  test("every tart call is counted and timed by verb: the counts are the fake tart's own log", async () => {
    // Background looks (the reconcile, file events) may be in flight: compare once they settle.
    let counted = new Map<string, number>();
    let logged = new Map<string, number>();
    for (let attempt = 0; attempt < 50; attempt++) {
      const families = await scrape();
      counted = new Map();
      for (const sample of families.get("taartenfabriek_tart_calls_total")!.samples) counted.set(sample.labels.verb!, (counted.get(sample.labels.verb!) ?? 0) + sample.value);
      logged = new Map();
      for (const argv of server.argvLog()) {
        const verb = argv[0] === "--version" ? "version" : argv[0]!;
        logged.set(verb, (logged.get(verb) ?? 0) + 1);
      }
      const timed = families.get("taartenfabriek_tart_call_duration_seconds")!.samples.filter((s) => s.name.endsWith("_count"));
      for (const sample of timed) expect(sample.value).toBe(sample.labels.verb === "run" ? 0 : counted.get(sample.labels.verb!)!);
      if (JSON.stringify([...counted].sort()) === JSON.stringify([...logged].sort())) break;
      await Bun.sleep(100);
    }
    expect([...counted].sort()).toEqual([...logged].sort());
    expect(counted.get("list")).toBeGreaterThan(0);
  });
});
