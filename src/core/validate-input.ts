import { redactSiemUrl } from "../siem/spec.js";
import { type ErrorObject, inputAjv, type ValidateFunction } from "./ajv.js";
import { CipherproofError, type ErrorCode, pointerSegment } from "./errors.js";

const cache = new WeakMap<object, ValidateFunction>();

/**
 * Keys whose values hold or name a secret (a token, an API key, a password, a credential, a private key). A value
 * under such a key is never quoted in a message: a token pasted where its environment variable's name belongs
 * would otherwise be echoed to the terminal and CI logs.
 */
export const SECRET_KEY =
  /token|secret|passw(?:or)?d|passphrase|api[-_]?key|credential|private[-_]?key|client[-_]?key|auth(?:orization)?$/i;

/** True when a JSON pointer passes through a key that holds or names a secret. */
export function isSecretPointer(pointer: string): boolean {
  return pointer
    .split("/")
    .slice(1)
    .some((seg) => SECRET_KEY.test(seg.replace(/~1/g, "/").replace(/~0/g, "~")));
}

/**
 * True when an error lies under a field the schema declares with a secret-like name (`tokenEnv`, `clientKey`…).
 * Only declared field names count, read from the schema path: keys of a map, such as the policy ids under
 * `policies.severity` (`secretsmanager-secret-rotation-enabled`), are data, not names of secrets.
 */
function underSecretField(e: ErrorObject): boolean {
  const segs = e.schemaPath.replace(/^#/, "").split("/");
  for (let i = 0; i + 1 < segs.length; i++)
    if (segs[i] === "properties" && SECRET_KEY.test(segs[i + 1].replace(/~1/g, "/").replace(/~0/g, "~")))
      return true;
  // A misspelt field name is reported by its own name (additionalProperties), which may itself look secret.
  return e.keyword === "additionalProperties" && isSecretPointer(e.instancePath);
}

// Where a URL (or a SIEM target `FORMAT@SINK:URL`) starts inside a string: `scheme:` followed by a slash or
// backslash, or by text holding `@` (userinfo).
const URL_START = /(?:[A-Za-z0-9_-]+@)?[A-Za-z][A-Za-z0-9+.-]*:(?:[/\\]|[^\s]*@)/;

/** A string fit for a message: from where a URL starts, its userinfo, query and fragment are redacted. */
export function redactUrls(s: string): string {
  const m = URL_START.exec(s);
  return m ? s.slice(0, m.index) + redactSiemUrl(s.slice(m.index)) : s;
}

/**
 * A value as a message quotes it: strings with any URL credentials redacted (before shortening, so a cut cannot
 * keep half a password), Infinity and NaN by name (JSON would say null), lists and objects described rather than
 * dumped (they may hold anything).
 */
export function showValue(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") {
    // Only the first 60 characters are shown; a very long string is not scanned for URLs (quadratic at worst).
    if (v.length > 4096) return `a string of ${v.length} characters`;
    const s = JSON.stringify(redactUrls(v));
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  }
  if (Array.isArray(v)) {
    if (v.some((x) => x !== null && typeof x === "object"))
      return `a list of ${v.length} item${v.length === 1 ? "" : "s"}`;
    const s = `[${v.slice(0, 20).map(showValue).join(",")}${v.length > 20 ? ",..." : ""}]`;
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  }
  if (v !== null && typeof v === "object") return Object.keys(v).length === 0 ? "{}" : "an object";
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s;
}

/** What kind of value it is, for messages that must not quote it. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return v === "" ? "an empty string" : "a string";
  if (typeof v === "number") return Number.isFinite(v) ? "a number" : String(v);
  if (typeof v === "object") return "an object";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}

/** Turn one ajv error into a sentence and the pointer it is about. */
export function describeAjvError(e: ErrorObject): { pointer: string; message: string; hint?: string } {
  const p = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  if (underSecretField(e)) return describeSecretError(e);
  const show = showValue;
  switch (e.keyword) {
    case "required":
      return { pointer: e.instancePath, message: `missing required field "${p.missingProperty}"` };
    case "additionalProperties": {
      const allowed =
        parent && typeof parent.properties === "object" ? Object.keys(parent.properties as object) : [];
      return {
        pointer: `${e.instancePath}/${pointerSegment(String(p.additionalProperty))}`,
        message: `unknown field "${p.additionalProperty}"`,
        hint: allowed.length ? `allowed fields here: ${allowed.join(", ")}` : undefined,
      };
    }
    case "enum":
      return {
        pointer: e.instancePath,
        message: `is ${show(e.data)}; must be one of ${(p.allowedValues as unknown[]).map(show).join(", ")}`,
      };
    case "const":
      return { pointer: e.instancePath, message: `is ${show(e.data)}; must be ${show(p.allowedValue)}` };
    case "type":
      return { pointer: e.instancePath, message: `is ${show(e.data)}; must be of type ${p.type}` };
    case "pattern":
      return { pointer: e.instancePath, message: `is ${show(e.data)}; must match ${p.pattern}` };
    case "format":
      return { pointer: e.instancePath, message: `is ${show(e.data)}; must be a valid ${p.format}` };
    case "propertyNames":
      return { pointer: `${e.instancePath}`, message: `has an invalid key ${show(p.propertyName)}` };
    default:
      return {
        pointer: e.instancePath,
        message: `${e.message ?? e.keyword}${e.data !== undefined ? ` (found ${show(e.data)})` : ""}`,
      };
  }
}

// An environment variable's name, as `tokenEnv` and `apiKeyEnv` take.
const ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

/** An ajv error about a value under a secret-bearing key: what is wrong, never the value itself. */
function describeSecretError(e: ErrorObject): { pointer: string; message: string; hint?: string } {
  const p = e.params as Record<string, unknown>;
  const kind = kindOf(e.data);
  switch (e.keyword) {
    case "required":
      return { pointer: e.instancePath, message: `missing required field "${p.missingProperty}"` };
    case "additionalProperties":
      return {
        pointer: `${e.instancePath}/${pointerSegment(String(p.additionalProperty))}`,
        message: `unknown field "${p.additionalProperty}"`,
      };
    case "pattern":
      if (p.pattern === ENV_NAME_PATTERN) {
        return {
          pointer: e.instancePath,
          message: "is not a valid environment variable name (the value is not shown: it may be a secret)",
          hint: "give the NAME of the environment variable that holds the secret (letters, digits and _, e.g. CIPHERPROOF_HEC_TOKEN), never the secret itself; if you pasted a token here, rotate it",
        };
      }
      return {
        pointer: e.instancePath,
        message: `does not match ${p.pattern} (the value is not shown: it may be a secret)`,
      };
    case "type":
      return { pointer: e.instancePath, message: `is ${kind}; must be of type ${p.type}` };
    default:
      return {
        pointer: e.instancePath,
        message: `${e.message ?? e.keyword} (the value, ${kind}, is not shown: it may be a secret)`,
      };
  }
}

/** Validate an input document against a schema; returns one CipherproofError per distinct problem. */
export function validateInput(
  schema: object,
  data: unknown,
  file: string,
  code: ErrorCode,
  pointerPrefix = "",
): CipherproofError[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = inputAjv().compile(schema);
    cache.set(schema, validate);
  }
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: CipherproofError[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "if" || e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    const d = describeAjvError(e);
    const key = `${d.pointer}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      new CipherproofError(code, d.message, { file, pointer: `${pointerPrefix}${d.pointer}` }, d.hint),
    );
  }
  return out.length
    ? out
    : [new CipherproofError(code, "is invalid", { file, pointer: pointerPrefix || "" })];
}
