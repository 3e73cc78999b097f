/**
 * Where the UI's API token comes from and where it is kept. The server prints
 * `http://127.0.0.1:PORT/#token=<token>`: the fragment never reaches the server or its logs, the
 * page reads it once, keeps it in this origin's localStorage (a page from another origin — even
 * one reaching 127.0.0.1 through DNS rebinding — has a different storage), and then removes it
 * from the address bar so it is not bookmarked or shared with a screenshot. Pure functions over
 * injected storage/location so they are tested without a browser.
 */

export const TOKEN_STORAGE_KEY = "taartenfabriek.token";

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Accepts what a user is likely to paste: the bare token, `token=…`, or the whole printed URL. */
export function normalizeToken(input: string): string {
  let text = input.trim();
  const hash = text.indexOf("#");
  if (hash >= 0) text = text.slice(hash + 1);
  const fromParams = new URLSearchParams(text).get("token");
  if (fromParams) text = fromParams;
  return text.trim();
}

/** The token in a location fragment such as `#token=abc&x=1`, or null. */
export function tokenFromHash(hash: string): string | null {
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!body) return null;
  const token = new URLSearchParams(body).get("token");
  return token ? token.trim() || null : null;
}

/** The fragment with the token removed (other parameters kept), "" when nothing remains. */
export function hashWithoutToken(hash: string): string {
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  const params = new URLSearchParams(body);
  params.delete("token");
  const rest = params.toString();
  return rest ? `#${rest}` : "";
}

export function readStoredToken(storage: KeyValueStorage | null): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || null;
  } catch {
    return null; // storage disabled (privacy mode): the URL token still works for this visit
  }
}

export function storeToken(storage: KeyValueStorage | null, token: string | null): void {
  try {
    if (token) storage?.setItem(TOKEN_STORAGE_KEY, token);
    else storage?.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Same as above: not remembering is acceptable, failing the sign-in is not.
  }
}

export interface TokenPickup {
  token: string | null;
  /** The URL to `history.replaceState` to, or null when the address bar needs no change. */
  cleanedUrl: string | null;
}

/**
 * Decides the start-up token: a fragment token wins over the stored one (it is the freshest, e.g.
 * after the server regenerated its token) and is stored; the fragment is then stripped.
 */
export function pickUpToken(
  location: { pathname: string; search: string; hash: string },
  storage: KeyValueStorage | null,
): TokenPickup {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash) {
    storeToken(storage, fromHash);
    return { token: fromHash, cleanedUrl: location.pathname + location.search + hashWithoutToken(location.hash) };
  }
  return { token: readStoredToken(storage), cleanedUrl: null };
}
