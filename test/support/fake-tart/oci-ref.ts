// OCI references as tart's Reference.g4 grammar reads them (spec §3.2):
// host(:port)?/namespace(:tag | @sha256:hex)?, a missing tag meaning :latest.
// The ANTLR error wording was not established by the spec; the texts here are plausible
// ANTLR messages with the same "failed to parse remote name: … (character N)" frame.
import { TartRuntimeError } from "./errors.ts";

export interface RemoteName {
  host: string;
  namespace: string;
  tag?: string;
  digest?: string;
}

const HOST = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:\.[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)*(?::[0-9]+)?$/;
const NS_PART = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function parseRemoteName(text: string): RemoteName {
  const bad = (msg: string, at: number): never => {
    throw new TartRuntimeError(`failed to parse remote name: ${msg} (character ${at})`);
  };
  const slash = text.indexOf("/");
  if (slash < 0) bad("mismatched input '<EOF>' expecting '/'", text.length);
  const host = text.slice(0, slash);
  if (!HOST.test(host)) bad(`extraneous input '${host}' expecting {NAME, DIGIT}`, 0);
  let rest = text.slice(slash + 1);
  let tag: string | undefined;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(`mismatched input '${digest}' expecting 'sha256:'`, slash + 1 + at + 1);
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(tag)) bad(`token recognition error at: '${tag.slice(0, 1) || ":"}'`, slash + 1 + colon + 1);
    } else tag = "latest";
  }
  const parts = rest.split("/");
  parts.forEach((p, i) => {
    if (!NS_PART.test(p)) bad(`no viable alternative at input '${p}'`, slash + 1 + parts.slice(0, i).join("/").length);
  });
  return { host, namespace: rest, tag, digest };
}

export function tryParseRemoteName(text: string): RemoteName | null {
  try {
    return parseRemoteName(text);
  } catch {
    return null;
  }
}

export function remoteNameText(r: RemoteName): string {
  return r.digest ? `${r.host}/${r.namespace}@${r.digest}` : `${r.host}/${r.namespace}:${r.tag}`;
}
