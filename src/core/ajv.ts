import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export type { ErrorObject, ValidateFunction };

/** Create an Ajv instance in strict mode (unknown keywords are load errors, never silent passes). */
export function createAjv(
  options: { allErrors?: boolean; verbose?: boolean; messages?: boolean; errorObjects?: boolean } = {},
): Ajv {
  const ajv = new Ajv({
    strict: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allErrors: options.allErrors ?? false,
    verbose: options.verbose ?? false,
    messages: options.messages ?? true,
    allowUnionTypes: true,
    logger: false,
    validateFormats: true,
    ...(options.errorObjects === false ? { code: { process: dropErrorObjects } } : {}),
  });
  addFormats(ajv);
  strictDateTime(ajv);
  return ajv;
}

/**
 * `date-time` that only accepts what it can also compare. ajv-formats' pattern accepts values `Date` cannot read (an
 * hours-only offset such as `+01`, a leap second) and its comparison answers `undefined` for them and for the epoch;
 * `formatMinimum`/`formatExclusiveMaximum` then hold whatever the limit, which would pass a policy on a date nobody
 * compared. Here such a value fails the format, and the comparison is by instant.
 *
 * A policy judging one date against several limits checks the format and compares it once per limit, so the last
 * value's instant and verdict are kept, and the limits' instants.
 */
function strictDateTime(ajv: Ajv): void {
  const base = ajv.formats["date-time"] as { validate: (s: string) => boolean } | undefined;
  if (!base || typeof base.validate !== "function") return;
  const check = base.validate;
  // Limits are few (they are written in policies); values come one at a time, each checked and compared in a row.
  const limits = new Map<string, number>();
  let lastText: string | undefined;
  let lastTime = Number.NaN;
  let lastValid = false;
  const instant = (s: string): number => {
    if (s !== lastText) {
      lastText = s;
      lastTime = Date.parse(s);
      lastValid = !Number.isNaN(lastTime) && check(s);
    }
    return lastTime;
  };
  const limit = (s: string): number => {
    let t = limits.get(s);
    if (t === undefined) {
      t = Date.parse(s);
      if (limits.size < 1024) limits.set(s, t);
    }
    return t;
  };
  ajv.addFormat("date-time", {
    type: "string",
    validate: (s: string) => {
      instant(s);
      return lastValid;
    },
    compare: (a: string, b: string) => {
      const x = instant(a);
      const y = limit(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return undefined as unknown as number;
      return x < y ? -1 : x > y ? 1 : 0;
    },
  });
}

let shared: Ajv | undefined;
let sharedAll: Ajv | undefined;

/**
 * The one Ajv instance that compiles policies for fast pass/fail checks. Nothing reads its errors (explanations come
 * from `explainAjv`), so it builds no message text for them and, where that is safe, no error objects either.
 */
export function policyAjv(): Ajv {
  shared ??= createAjv({ messages: false, errorObjects: false });
  return shared;
}

/** The Ajv instance that compiles policies with allErrors, used only to explain failures. */
export function explainAjv(): Ajv {
  sharedAll ??= createAjv({ allErrors: true, verbose: true });
  return sharedAll;
}

let sharedInput: Ajv | undefined;

/** The Ajv instance that validates inputs (policy files, config, frameworks), reporting every error verbosely. */
export function inputAjv(): Ajv {
  sharedInput ??= createAjv({ allErrors: true, verbose: true });
  return sharedInput;
}

/**
 * Second argument for calling a policy validator on a whole resource. Without one, every call allocates the `{}` its
 * generated signature defaults to; `rootData` still defaults to the data.
 */
export const TOP_LEVEL = Object.freeze({ instancePath: "" }) as unknown as Parameters<ValidateFunction>[1];

/**
 * ajv `code.process` hook for the pass/fail instance: a validator that stops at the first error still builds that
 * error (an array, an object and its params) on every failing call, which was most of the garbage a scan made.
 * Where nothing can read those errors, `validateN.errors = [{…}];return false;` becomes `validateN.errors = null;
 * return false;`. Something can read them when the code reads any `.errors` (a `$ref` compiled as its own function,
 * recursion), when the schema is a sub-schema, or when it has an `$id` (a schema compiled later may `$ref` it). Those
 * keep ajv's code, as does anything the scan does not expect. The scan walks the code token by token and skips
 * string literals: schema constants are written into the code as strings and may hold any text.
 */
export function dropErrorObjects(code: string, env?: { root?: unknown; baseId?: string }): string {
  if (env && (env.root !== env || env.baseId)) return code;
  let out = "";
  let from = 0;
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '"') {
      i = endOfString(code, i);
      if (i === -1) return code;
    } else if (c === "'" || c === "`" || (c === "/" && (code[i + 1] === "*" || code[i + 1] === "/"))) {
      return code; // ajv writes strings in double quotes and no comments; anything else is unexpected
    } else if (c === "." && code.startsWith(".errors", i) && !/[\w$]/.test(code[i + 7] ?? "")) {
      if (!code.startsWith(".errors = ", i)) return code; // reads a validator's errors
      i += ".errors = ".length;
      if (code[i] === "[") {
        const end = endOfArray(code, i + 1);
        if (end === -1 || !code.startsWith(";return false;", end)) return code;
        out += `${code.slice(from, i)}null`;
        from = end;
        i = end;
      }
    } else i++;
  }
  return out + code.slice(from);
}

/** Index just past the double-quoted string literal starting at `i`; -1 if it does not end. */
function endOfString(code: string, i: number): number {
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === "\\") j++;
    else if (code[j] === '"') return j + 1;
  }
  return -1;
}

/** Index just past the `]` closing an array literal whose `[` ends before `i`; -1 if the code is not as expected. */
function endOfArray(code: string, i: number): number {
  let depth = 1;
  while (i < code.length) {
    const c = code[i];
    if (c === '"') {
      i = endOfString(code, i);
      if (i === -1) return -1;
      continue;
    }
    i++;
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") {
      if (--depth === 0) return c === "]" ? i : -1;
    } else if (c === "'" || c === "`" || c === "/") return -1; // other literals: leave the code alone
  }
  return -1;
}
