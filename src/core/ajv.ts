import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export type { ErrorObject, ValidateFunction };

/** Create an Ajv instance in strict mode (unknown keywords are load errors, never silent passes). */
export function createAjv(options: { allErrors?: boolean; verbose?: boolean; messages?: boolean } = {}): Ajv {
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
  });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv | undefined;
let sharedAll: Ajv | undefined;

/**
 * The one Ajv instance that compiles policies for fast pass/fail checks. Nothing reads its errors (explanations come
 * from `explainAjv`), so it builds no message text for them.
 */
export function policyAjv(): Ajv {
  shared ??= createAjv({ messages: false });
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
