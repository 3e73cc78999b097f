/**
 * The GitHub token for the image catalogue: the file `<data-dir>/github_token` (0600) set through
 * the API, else TARTVM_GITHUB_TOKEN from the environment. Only a masked form ever leaves here.
 */
import { SecretFile } from "./secret-file.ts";

export interface GithubTokenStatus {
  configured: boolean;
  masked_token: string | null;
  source: "file" | "environment" | null;
}

export class GithubTokenSetting {
  constructor(
    private readonly file: SecretFile,
    private readonly fromEnv: string | undefined,
  ) {}

  current(): string | null {
    return this.file.read() ?? (this.fromEnv?.trim() || null);
  }

  status(): GithubTokenStatus {
    const fileToken = this.file.read();
    const token = fileToken ?? (this.fromEnv?.trim() || null);
    return {
      configured: token !== null,
      masked_token: token === null ? null : mask(token),
      source: token === null ? null : fileToken ? "file" : "environment",
    };
  }

  /** An empty string clears the stored token. */
  set(token: string): void {
    if (token === "") this.file.clear();
    else this.file.write(token);
  }
}

/** At most the first 4 and last 4 characters; short tokens show none at all. */
export function mask(token: string): string {
  if (token.length < 16) return "****";
  return `${token.slice(0, 4)}...${token.slice(-4)}`;
}
