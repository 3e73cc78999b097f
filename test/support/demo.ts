/**
 * `npm run demo`: the built binary driving the fake tart, with a few VMs and images seeded in a
 * scratch TART_HOME — to try the UI and every curl example of docs/API.md on a machine without Tart.
 * Data (token, history) go to a scratch data dir too, so the demo never touches ~/.tartvm-manager.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "./fake-tart/seed.ts";
import { BINARY, bunBinDir, FAKE_TART } from "./server-process.ts";

const scratch = mkdtempSync(join(tmpdir(), "taartenfabriek-demo-"));
const tartHome = join(scratch, "tart-home");
seedTartHome({ home: tartHome, local: 4, running: 0, oci: 2 });
await Bun.write(join(tartHome, "fake-tart.json"), JSON.stringify({ boot_ms: 1500, pull_steps: 20, pull_interval_ms: 300 }));
console.log(`demo: fake tart with TART_HOME=${tartHome}; data dir ${join(scratch, "data")}`);
const proc = Bun.spawn([BINARY, "--tart", FAKE_TART, "--data-dir", join(scratch, "data"), ...process.argv.slice(2)], {
  stdio: ["inherit", "inherit", "inherit"],
  env: { ...process.env, TART_HOME: tartHome, PATH: `${bunBinDir()}:${process.env.PATH}` },
});
process.on("SIGINT", () => proc.kill("SIGINT"));
process.exit(await proc.exited);
