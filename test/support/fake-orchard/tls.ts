/**
 * The certificate a real controller makes for itself when given none (spec orchard.md §1,
 * `GenerateSelfSignedControllerCertificate`): self-signed ECDSA P-384, CN "Orchard Controller",
 * one SAN, DNS `orchard-controller`, ten years. Made with Debian's openssl, once per call.
 */
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ControllerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER bytes, upper-case hex pairs separated by spaces (certificatefingerprint.go). */
  fingerprint: string;
}

export function selfSignedControllerCertificate(serverName = "orchard-controller"): ControllerCertificate {
  const dir = mkdtempSync(join(tmpdir(), "fake-orchard-tls-"));
  try {
    const keyPath = join(dir, "controller.key");
    const certPath = join(dir, "controller.crt");
    const run = Bun.spawnSync(
      ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", keyPath, "-out", certPath,
        "-days", "3650", "-subj", "/CN=Orchard Controller", "-addext", `subjectAltName=DNS:${serverName}`],
      { stderr: "pipe", stdout: "ignore" },
    );
    if (run.exitCode !== 0) throw new Error(`openssl failed: ${run.stderr.toString()}`);
    const cert = readFileSync(certPath, "utf8");
    const der = new X509Certificate(cert).raw;
    const hex = new Bun.CryptoHasher("sha256").update(der).digest("hex").toUpperCase();
    return { cert, key: readFileSync(keyPath, "utf8"), fingerprint: hex.match(/../g)!.join(" ") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
