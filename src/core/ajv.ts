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
  return ajv;
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

/** Where a stop-at-first-error validator records its one error and returns: `validate12.errors = [{…}];return false;`. */
const RETURN_ERROR = /\bvalidate\d+\.errors = \[/g;

/**
 * ajv `code.process` hook for the pass/fail instance: a validator that stops at the first error still builds that
 * error (an array, an object and its params) on every failing call, which is most of the garbage a scan makes. When
 * nothing can read those errors, the assignment becomes `= null`. Something can when the function reads another
 * validator's `.errors` (a `$ref` compiled separately, or recursion) or is itself such a sub-schema, so those keep
 * ajv's code unchanged, as does anything the scan below does not understand.
 */
export function dropErrorObjects(code: string, env?: { root?: unknown }): string {
  if (env && env.root !== env) return code; // a sub-schema: a caller may read its errors
  if (/\.errors(?! = )/.test(code)) return code; // reads a validator's errors
  let out = "";
  let from = 0;
  RETURN_ERROR.lastIndex = 0;
  for (let m = RETURN_ERROR.exec(code); m; m = RETURN_ERROR.exec(code)) {
    const end = endOfArray(code, m.index + m[0].length);
    if (end === -1 || !code.startsWith(";return false;", end)) return code;
    out += `${code.slice(from, m.index + m[0].length - 1)}null`;
    from = end;
    RETURN_ERROR.lastIndex = end;
  }
  return out + code.slice(from);
}

/** Index just past the `]` closing an array literal whose `[` ends before `i`; -1 if the code is not as expected. */
function endOfArray(code: string, i: number): number {
  let depth = 1;
  while (i < code.length) {
    const c = code[i++];
    if (c === '"') {
      while (i < code.length && code[i] !== '"') i += code[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") {
      if (--depth === 0) return c === "]" ? i : -1;
    } else if (c === "'" || c === "`" || c === "/") return -1; // other literals: leave the code alone
  }
  return -1;
}
