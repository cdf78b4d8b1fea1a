import { type ErrorObject, inputAjv, type ValidateFunction } from "./ajv.js";
import { CipherproofError, type ErrorCode } from "./errors.js";

const cache = new WeakMap<object, ValidateFunction>();

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Turn one ajv error into a sentence and the pointer it is about. */
export function describeAjvError(e: ErrorObject): { pointer: string; message: string; hint?: string } {
  const p = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  switch (e.keyword) {
    case "required":
      return { pointer: e.instancePath, message: `missing required field "${p.missingProperty}"` };
    case "additionalProperties": {
      const allowed =
        parent && typeof parent.properties === "object" ? Object.keys(parent.properties as object) : [];
      return {
        pointer: `${e.instancePath}/${String(p.additionalProperty).replace(/~/g, "~0").replace(/\//g, "~1")}`,
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
