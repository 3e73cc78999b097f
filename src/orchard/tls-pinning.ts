/**
 * TLS the way Orchard's own client does it (pkg/client/client.go `New`): a cluster that carries a
 * certificate trusts *only* that certificate as its root, and checks the name in its first DNS SAN
 * (`orchard-controller` for a controller's self-signed one, which names no host or IP) instead of
 * the URL's host. A cluster without one trusts the system's roots, as any HTTPS client.
 *
 * Trust on first use: `peerCertificate` fetches what an unknown controller presents, without
 * trusting it, so its SHA-256 fingerprint can be shown and compared before it is pinned.
 */
import { X509Certificate } from "node:crypto";
import { connect } from "node:tls";

export interface PinnedTls {
  ca: string;
  serverName: string | undefined;
}

/** fetch()'s `tls` option for a pinned certificate. */
export function pinnedTls(pem: string): PinnedTls {
  return { ca: pem, serverName: firstDnsName(pem) };
}

export function firstDnsName(pem: string): string | undefined {
  const san = new X509Certificate(pem).subjectAltName ?? "";
  const dns = san.split(/,\s*/).find((entry) => entry.startsWith("DNS:"));
  return dns?.slice(4);
}

/** SHA-256 of the DER bytes as Orchard prints it: upper-case hex pairs separated by spaces. */
export function fingerprintOf(pem: string): string {
  const hex = new Bun.CryptoHasher("sha256").update(new X509Certificate(pem).raw).digest("hex").toUpperCase();
  return hex.match(/../g)!.join(" ");
}

/** A fingerprint as typed or pasted (spaces, colons, lower case) in the one form above. */
export function normalFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, "").toUpperCase();
  return (hex.match(/../g) ?? []).join(" ");
}

export interface PresentedCertificate {
  pem: string;
  fingerprint: string;
  subject: string;
  /** Whether the system's roots accept it for this host. */
  trustedBySystem: boolean;
}

/** Connects to host:port, reads the leaf certificate it presents and closes; null if no TLS answers. */
export function peerCertificate(host: string, port: number, timeoutMs: number): Promise<PresentedCertificate | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] });
    const timer = setTimeout(() => finish(null), timeoutMs);
    const finish = (value: PresentedCertificate | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    socket.once("secureConnect", () => {
      const raw = socket.getPeerCertificate()?.raw;
      if (!raw) return finish(null);
      const pem = `-----BEGIN CERTIFICATE-----\n${raw.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
      finish({ pem, fingerprint: fingerprintOf(pem), subject: new X509Certificate(pem).subject.replace(/\n/g, ", "), trustedBySystem: socket.authorized });
    });
    socket.once("error", () => finish(null));
  });
}

const isIp = (host: string) => /^[0-9.]+$/.test(host) || host.includes(":");
