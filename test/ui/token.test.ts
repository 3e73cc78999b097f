// Token pickup: fragment → storage → cleaned URL, and what a user may paste on the sign-in form.
import { describe, expect, test } from "bun:test";
import {
  hashWithoutToken,
  normalizeToken,
  pickUpToken,
  readStoredToken,
  storeToken,
  TOKEN_STORAGE_KEY,
  tokenFromHash,
  type KeyValueStorage,
} from "../../ui/src/lib/token.ts";

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => void (data[k] = v),
    removeItem: (k) => void delete data[k],
  };
}

describe("tokenFromHash", () => {
  test("reads #token=…", () => expect(tokenFromHash("#token=abc123")).toBe("abc123"));
  test("among other parameters", () => expect(tokenFromHash("#x=1&token=t0k")).toBe("t0k"));
  test("none", () => {
    expect(tokenFromHash("")).toBeNull();
    expect(tokenFromHash("#")).toBeNull();
    expect(tokenFromHash("#token=")).toBeNull();
    expect(tokenFromHash("#other=1")).toBeNull();
  });
});

test("hashWithoutToken keeps other parameters", () => {
  expect(hashWithoutToken("#token=abc")).toBe("");
  expect(hashWithoutToken("#token=abc&view=table")).toBe("#view=table");
});

describe("pickUpToken", () => {
  test("fragment token is stored and the URL cleaned", () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: "old" });
    const result = pickUpToken({ pathname: "/", search: "", hash: "#token=new" }, storage);
    expect(result).toEqual({ token: "new", cleanedUrl: "/" });
    expect(storage.data[TOKEN_STORAGE_KEY]).toBe("new");
  });
  test("keeps path and query when cleaning", () => {
    const result = pickUpToken({ pathname: "/settings", search: "?a=1", hash: "#token=t" }, memoryStorage());
    expect(result.cleanedUrl).toBe("/settings?a=1");
  });
  test("falls back to the stored token without touching the URL", () => {
    const result = pickUpToken({ pathname: "/", search: "", hash: "" }, memoryStorage({ [TOKEN_STORAGE_KEY]: "kept" }));
    expect(result).toEqual({ token: "kept", cleanedUrl: null });
  });
  test("no token anywhere", () => {
    expect(pickUpToken({ pathname: "/", search: "", hash: "" }, null)).toEqual({ token: null, cleanedUrl: null });
  });
});

describe("storage that throws", () => {
  const broken: KeyValueStorage = {
    getItem: () => {
      throw new Error("denied");
    },
    setItem: () => {
      throw new Error("denied");
    },
    removeItem: () => {
      throw new Error("denied");
    },
  };
  test("reading and writing never throw", () => {
    expect(readStoredToken(broken)).toBeNull();
    expect(() => storeToken(broken, "x")).not.toThrow();
    expect(() => storeToken(broken, null)).not.toThrow();
  });
});

test("storeToken(null) forgets", () => {
  const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: "x" });
  storeToken(storage, null);
  expect(storage.data[TOKEN_STORAGE_KEY]).toBeUndefined();
});

describe("normalizeToken accepts what users paste", () => {
  test("bare token with whitespace", () => expect(normalizeToken("  abc \n")).toBe("abc"));
  test("the whole printed URL", () => expect(normalizeToken("http://127.0.0.1:8000/#token=abc")).toBe("abc"));
  test("token=… only", () => expect(normalizeToken("token=abc")).toBe("abc"));
});
