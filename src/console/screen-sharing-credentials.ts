/**
 * A macOS guest's Screen Sharing login (user and password), remembered per VM only when the user
 * asks for it, in one 0600 file (SecretFile: never through a link). The browser does the ARD
 * login itself (noVNC), so it needs them back: they are given only with a console ticket for that
 * VM in screen-sharing mode, never listed and never logged.
 */
import type { SecretFile } from "../storage/secret-file.ts";

export interface GuestCredentials {
  username: string;
  password: string;
}

export class ScreenSharingCredentials {
  constructor(private readonly file: SecretFile) {}

  get(name: string): GuestCredentials | null {
    return this.all()[name] ?? null;
  }

  remember(name: string, credentials: GuestCredentials): void {
    this.save({ ...this.all(), [name]: { username: credentials.username, password: credentials.password } });
  }

  forget(name: string): void {
    const all = this.all();
    if (!(name in all)) return;
    delete all[name];
    this.save(all);
  }

  private all(): Record<string, GuestCredentials> {
    const text = this.file.read();
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, GuestCredentials>;
    } catch {
      return {};
    }
  }

  private save(all: Record<string, GuestCredentials>): void {
    if (Object.keys(all).length === 0) this.file.clear();
    else this.file.write(JSON.stringify(all));
  }
}
