import { CipherproofError, pointerSegment, toPointer } from "../../core/errors.js";

/**
 * Where a value sits in an input file: the JSON pointer into the file, plus (when the value lives inside a
 * JSON-encoded string, as batch-get-resource-config and select-resource-config print it) the path inside that string.
 */
export interface Loc {
  file: string;
  pointer: string;
  inner?: Array<string | number>;
}

/** The location of a child value. */
export function child(loc: Loc, key: string | number): Loc {
  if (loc.inner) return { file: loc.file, pointer: loc.pointer, inner: [...loc.inner, key] };
  return { file: loc.file, pointer: `${loc.pointer}/${pointerSegment(key)}` };
}

/** The location of the root of a JSON document encoded in the string at `loc`. */
export function insideString(loc: Loc): Loc {
  return loc.inner ? loc : { file: loc.file, pointer: loc.pointer, inner: [] };
}

/** A SNAPSHOT_INVALID error about the value at `loc`. */
export function invalid(loc: Loc, message: string, hint?: string): CipherproofError {
  let where = "";
  if (loc.inner)
    where = loc.inner.length
      ? `at ${toPointer(loc.inner)} inside the JSON-encoded string: `
      : "the JSON-encoded string ";
  return new CipherproofError(
    "SNAPSHOT_INVALID",
    `${where}${message}`,
    { file: loc.file, pointer: loc.pointer },
    hint,
  );
}

// A value from the input is quoted into a message or a `missing` reason only when it reads like an enum token
// (`PendingDeletion`, `aws:kms`, `ELBSecurityPolicy-TLS13-1-2-2021-06`): messages and reasons reach findings.json,
// every report, SIEM events and the console, none of which is redacted. Anything else — a connection string, a key,
// free text — is described by its type and length instead.
const TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;
// Credential shapes a token-like string can still have.
const CREDENTIAL_WORD = /pass|pwd|secret|token|credential|session|auth|bearer/i;
const ACCESS_KEY_ID = /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{12,}/;
// A long run of letters and digits mixing both is how keys, tokens and hashes look, never how an enum value does.
const OPAQUE_RUN = /[A-Za-z0-9]{20,}/g;

/** True when a string has the shape of a credential: a secret-naming word, an access key id, an opaque token. */
export function looksLikeCredential(s: string): boolean {
  if (CREDENTIAL_WORD.test(s) || ACCESS_KEY_ID.test(s)) return true;
  for (const run of s.match(OPAQUE_RUN) ?? []) if (/\d/.test(run) && /[A-Za-z]/.test(run)) return true;
  return false;
}

/** True when an input string may be quoted in messages: short, printable, enum-like and not credential-shaped. */
export function isQuotable(s: string): boolean {
  return TOKEN.test(s) && !looksLikeCredential(s);
}

/**
 * Short, safe rendering of a found value for messages and reasons: enum-like strings, numbers, booleans and null as
 * JSON; any other string, array or object by its type and size only. Never recursive, never long, never a secret.
 */
export function show(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "a non-finite number";
  if (typeof v === "string") {
    if (v === "") return '""';
    return isQuotable(v)
      ? JSON.stringify(v)
      : `a string of ${v.length} character${v.length === 1 ? "" : "s"}`;
  }
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? "" : "s"}`;
  if (typeof v === "object") {
    const n = Object.keys(v).length;
    return n === 0 ? "an empty object" : `an object with ${n} key${n === 1 ? "" : "s"}`;
  }
  return `a ${typeof v}`;
}

/** The reason JSON.parse gives, without the excerpt of the input V8 quotes into it (it may hold a secret). */
export function jsonParseReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/^JSON\.parse: /, "")
    .replace(/^Unexpected token .*?, ".*" is not valid JSON$/s, "unexpected token")
    .replace(/^".*" is not valid JSON$/s, "not valid JSON")
    .slice(0, 200);
}

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parse a JSON-encoded string found in the input; a bad one is SNAPSHOT_INVALID at its pointer. */
export function decodeJsonString(text: string, loc: Loc, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = jsonParseReason(err);
    throw invalid(
      loc,
      `${what} is a string that is not valid JSON (${reason})`,
      "AWS Config encodes this value as a JSON string; the file looks truncated or edited",
    );
  }
}

/** Parse an ISO 8601 string or epoch number (seconds or milliseconds) into an ISO string; null when not a date. */
export function toIsoDate(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) {
    // Config and the CLI print some dates as epoch seconds (1.6e9) and CloudWatch Logs as epoch milliseconds (1.6e12).
    const ms = Math.abs(v) < 1e11 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof v === "string" && v.trim() !== "") {
    if (/^-?\d+(\.\d+)?$/.test(v.trim())) return toIsoDate(Number(v));
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}

type Keys = string | readonly string[];

/** A decoded value that must be an object, as a Node. */
export function nodeOf(value: unknown, loc: Loc): Node {
  if (!isObject(value)) throw invalid(loc, `is ${show(value)}; must be an object`);
  return new Node(value, loc);
}

/** A decoded value that must be an array of objects, as Nodes. */
export function nodesOf(value: unknown, loc: Loc): Node[] {
  if (!Array.isArray(value)) throw invalid(loc, `is ${show(value)}; must be an array`);
  return value.map((v, i) => nodeOf(v, child(loc, i)));
}

/**
 * A JSON object from a configuration item, read with the casing AWS Config happens to use: keys match
 * case-insensitively (Config spells the same field `dBClusterIdentifier` or `dbclusterIdentifier`), and every
 * typed read throws SNAPSHOT_INVALID at the exact pointer when the value has the wrong type.
 */
export class Node {
  constructor(
    readonly value: Record<string, unknown>,
    readonly loc: Loc,
  ) {}

  /** An empty object at a location (for fields a select query did not return). */
  static empty(loc: Loc): Node {
    return new Node({}, loc);
  }

  private entry(keys: Keys): [string, unknown] | undefined {
    for (const key of typeof keys === "string" ? [keys] : keys) {
      if (Object.hasOwn(this.value, key) && this.value[key] !== undefined) return [key, this.value[key]];
      const lower = key.toLowerCase();
      for (const k of Object.keys(this.value)) {
        if (k.toLowerCase() === lower && this.value[k] !== undefined) return [k, this.value[k]];
      }
    }
    return undefined;
  }

  /** True when the key is present (even when its value is null). */
  has(keys: Keys): boolean {
    return this.entry(keys) !== undefined;
  }

  /** The raw value, or undefined when absent. */
  raw(keys: Keys): unknown {
    return this.entry(keys)?.[1];
  }

  /** The location of a key (its real spelling when present). */
  at(keys: Keys): Loc {
    const e = this.entry(keys);
    return child(this.loc, e ? e[0] : typeof keys === "string" ? keys : keys[0]);
  }

  private typed<T>(keys: Keys, check: (v: unknown) => v is T, expected: string): T | null | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    const v = e[1];
    if (v === null) return null;
    if (!check(v)) throw invalid(child(this.loc, e[0]), `is ${show(v)}; must be ${expected}`);
    return v;
  }

  /** A string field. */
  str(keys: Keys): string | null | undefined {
    return this.typed(keys, (v): v is string => typeof v === "string", "a string");
  }

  /** A boolean field. */
  bool(keys: Keys): boolean | null | undefined {
    return this.typed(keys, (v): v is boolean => typeof v === "boolean", "a boolean");
  }

  /** An integer field. */
  int(keys: Keys): number | null | undefined {
    return this.typed(keys, (v): v is number => typeof v === "number" && Number.isInteger(v), "an integer");
  }

  /** A date field (ISO 8601 string or epoch number), returned as an ISO string. */
  date(keys: Keys): string | null | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    if (e[1] === null) return null;
    const iso = toIsoDate(e[1]);
    if (iso === null)
      throw invalid(child(this.loc, e[0]), `is ${show(e[1])}; must be a date (ISO 8601 or epoch time)`);
    return iso;
  }

  /** A nested object; with `decode`, a JSON-encoded string holding an object is accepted too. */
  obj(keys: Keys, decode = false): Node | null | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    let v = e[1];
    let loc = child(this.loc, e[0]);
    if (v === null) return null;
    if (decode && typeof v === "string") {
      v = decodeJsonString(v, loc, "the value");
      loc = insideString(loc);
      if (v === null) return null;
    }
    if (!isObject(v)) throw invalid(loc, `is ${show(v)}; must be an object`);
    return new Node(v, loc);
  }

  /** A value that may be JSON-encoded as a string (supplementaryConfiguration entries), decoded, with its location. */
  decoded(keys: Keys): { value: unknown; loc: Loc } | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    const loc = child(this.loc, e[0]);
    if (typeof e[1] === "string") {
      const t = e[1].trim();
      // Plain strings are left alone; only values that look like JSON are decoded.
      if (
        t.startsWith("{") ||
        t.startsWith("[") ||
        t === "true" ||
        t === "false" ||
        t === "null" ||
        /^-?\d/.test(t)
      ) {
        return { value: decodeJsonString(e[1], loc, "the value"), loc: insideString(loc) };
      }
    }
    return { value: e[1], loc };
  }

  /** An array field, each element with its location. */
  list(keys: Keys): Array<{ value: unknown; loc: Loc }> | null | undefined {
    const e = this.entry(keys);
    if (!e) return undefined;
    const loc = child(this.loc, e[0]);
    if (e[1] === null) return null;
    if (!Array.isArray(e[1])) throw invalid(loc, `is ${show(e[1])}; must be an array`);
    return e[1].map((value, i) => ({ value, loc: child(loc, i) }));
  }

  /** An array of objects. */
  nodes(keys: Keys): Node[] | null | undefined {
    const l = this.list(keys);
    if (l === undefined || l === null) return l;
    return l.map(({ value, loc }) => nodeOf(value, loc));
  }

  /** An array of strings. */
  strs(keys: Keys): string[] | null | undefined {
    const l = this.list(keys);
    if (l === undefined || l === null) return l;
    return l.map(({ value, loc }) => {
      if (typeof value !== "string") throw invalid(loc, `is ${show(value)}; must be a string`);
      return value;
    });
  }
}
