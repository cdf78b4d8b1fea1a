import { inputAjv, type ValidateFunction } from "../ajv.js";
import { CipherproofError, pointerSegment } from "../errors.js";
import type { PolicyDefinition } from "../types.js";
import { isSecretPointer, showValue } from "../validate-input.js";
import { findKeyword, suggestKeyword } from "./lint.js";

// A parameter's schema must stand alone: a reference reaches outside it, an id registers it on the Ajv instance every
// policy and config shares (so the next load of the same policy would clash with it, and other schemas could refer to
// it), and "$async" compiles to a validator returning a promise, which reads as valid whatever the value.
const FORBIDDEN_KEYWORDS = [
  "$ref",
  "$dynamicRef",
  "$recursiveRef",
  "$id",
  "$anchor",
  "$dynamicAnchor",
  "$recursiveAnchor",
  "$schema",
  "$async",
];

/**
 * Compile one parameter's schema; anything ajv refuses (an unknown keyword in strict mode, a malformed keyword
 * value, a bad regular expression, an unknown format) is a POLICY_PARAMETER error at the nearest pointer.
 */
function compileParameter(
  shape: Record<string, unknown>,
  name: string,
  def: PolicyDefinition,
  file: string,
): ValidateFunction {
  const base = `/parameters/${pointerSegment(name)}`;
  const fail = (message: string, pointer: string, hint: string): never => {
    throw new CipherproofError(
      "POLICY_PARAMETER",
      `parameter "${name}" of policy ${def.id} has an invalid schema: ${message}`,
      { file, pointer },
      hint,
    );
  };
  for (const kw of FORBIDDEN_KEYWORDS) {
    const at = findKeyword(shape, kw, base);
    if (at) {
      fail(
        `"${kw}" is not supported in a parameter's schema`,
        at,
        "a parameter's schema must stand alone: write the constraints out (type, minimum, maximum, enum, items…) instead",
      );
    }
  }
  const ajv = inputAjv();
  try {
    if (!ajv.validateSchema(shape)) {
      const e =
        (ajv.errors ?? []).find((x) => x.keyword !== "anyOf" && x.keyword !== "oneOf") ?? ajv.errors?.[0];
      const at = `${base}${e?.instancePath ?? ""}`;
      fail(
        `${e?.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")} ` : ""}${e?.message ?? "is not valid JSON Schema"}`,
        at,
        "the parameter's schema must be valid JSON Schema (the subset ajv supports)",
      );
    }
    return ajv.compile(shape);
  } catch (err) {
    if (err instanceof CipherproofError) throw err;
    const msg = String((err as Error)?.message ?? err)
      .split("\n")[0]
      .slice(0, 300);
    const kw = /unknown keyword: "([^"]+)"/.exec(msg)?.[1];
    if (kw) {
      const s = suggestKeyword(kw);
      fail(
        `unknown keyword "${kw}"`,
        findKeyword(shape, kw, base) ?? base,
        `"${kw}" is not a JSON Schema keyword${s ? ` (did you mean "${s}"?)` : ""}; strict mode rejects it so a typo cannot pass silently`,
      );
    }
    const fmt = /unknown format "([^"]+)"/.exec(msg)?.[1];
    if (fmt) {
      fail(
        `unknown format "${fmt}"`,
        findKeyword(shape, "format", base) ?? base,
        "use a format ajv-formats knows (date, date-time, uri, email, hostname, ipv4, ipv6, uuid, regex, …)",
      );
    }
    if (/regular expression/i.test(msg)) {
      fail(
        `a "pattern" is not a valid regular expression (${msg})`,
        findKeyword(shape, "pattern", base) ?? base,
        "patterns are ECMAScript regular expressions in Unicode mode; escape special characters with \\",
      );
    }
    return fail(msg, base, "the parameter's schema must be valid JSON Schema (the subset ajv supports)");
  } finally {
    // The validator keeps working; the instance need not keep this one-off schema cached for ever.
    ajv.removeSchema(shape);
  }
}

/** Run a parameter validator; a value it cannot check (nested too deeply) is invalid, not a crash. */
function check(validate: ValidateFunction, value: unknown): boolean {
  try {
    return validate(value) === true;
  } catch {
    validate.errors = [
      {
        instancePath: "",
        schemaPath: "#",
        keyword: "nesting",
        params: {},
        message: "could not be checked (nested too deeply)",
      },
    ];
    return false;
  }
}

/** Resolve a policy's parameter values: defaults, then overrides, each checked against its declared schema. */
export function resolveParameters(
  def: PolicyDefinition,
  overrides: Record<string, unknown> | undefined,
  file: string,
  overrideSource = "config",
): Record<string, unknown> {
  const declared = def.parameters ?? {};
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(declared)) {
    const { default: dflt, description: _d, ...shape } = schema;
    const validate = compileParameter(shape, name, def, file);
    if (!check(validate, dflt)) {
      throw new CipherproofError(
        "POLICY_PARAMETER",
        `default of parameter "${name}" does not match its own schema: ${inputAjv().errorsText(validate.errors, { dataVar: name })}`,
        { file, pointer: `/parameters/${pointerSegment(name)}/default` },
      );
    }
    values[name] = dflt;
    if (overrides && Object.hasOwn(overrides, name)) {
      const v = overrides[name];
      if (!check(validate, v)) {
        const pointer = `/policies/parameters/${pointerSegment(def.id)}/${pointerSegment(name)}`;
        // The value is quoted (redacted, shortened) unless its name says it may be a secret.
        const shown = isSecretPointer(`/${pointerSegment(name)}`) ? "" : ` is ${showValue(v)}, which`;
        throw new CipherproofError(
          "POLICY_PARAMETER",
          `parameter "${name}" of policy ${def.id}${shown} is invalid: ${inputAjv().errorsText(validate.errors, { dataVar: name })}`,
          { file: overrideSource, pointer },
          `see \`cipherproof policies explain ${def.id}\` for the parameter's type and range`,
        );
      }
      values[name] = v;
    }
  }
  for (const name of Object.keys(overrides ?? {})) {
    if (!Object.hasOwn(declared, name)) {
      const known = Object.keys(declared);
      throw new CipherproofError(
        "POLICY_PARAMETER",
        `policy ${def.id} has no parameter "${name}"`,
        {
          file: overrideSource,
          pointer: `/policies/parameters/${pointerSegment(def.id)}/${pointerSegment(name)}`,
        },
        known.length ? `its parameters are: ${known.join(", ")}` : "this policy takes no parameters",
      );
    }
  }
  return values;
}

/** Replace every `{"$param": "name"}` object with the parameter's value; unknown names are load errors. */
export function substituteParameters(
  node: unknown,
  values: Record<string, unknown>,
  file: string,
  pointer: string,
): unknown {
  if (Array.isArray(node))
    return node.map((v, i) => substituteParameters(v, values, file, `${pointer}/${i}`));
  if (node === null || typeof node !== "object") return node;
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === "$param") {
    const name = obj.$param;
    if (typeof name !== "string" || !Object.hasOwn(values, name)) {
      throw new CipherproofError(
        "POLICY_PARAMETER",
        `{"$param": ${JSON.stringify(name)}} names no declared parameter`,
        { file, pointer },
        `declare it under "parameters" (known: ${Object.keys(values).join(", ") || "none"})`,
      );
    }
    return values[name];
  }
  const out: Record<string, unknown> = {};
  for (const k of keys)
    out[k] = substituteParameters(obj[k], values, file, `${pointer}/${pointerSegment(k)}`);
  return out;
}
