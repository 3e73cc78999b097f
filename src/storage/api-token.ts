/**
 * The API token: 32 random bytes, base64url, made on first run and reused after; `rotate` replaces
 * it (a running server picks the new one up, see http/guard.ts).
 */
import { SecretFile } from "./secret-file.ts";

export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

export function loadOrCreateToken(file: SecretFile): string {
  const existing = file.read();
  if (existing && existing.length >= 32) return existing;
  const token = newToken();
  file.write(token);
  return token;
}

export function rotateToken(file: SecretFile): string {
  const token = newToken();
  file.write(token);
  return token;
}
