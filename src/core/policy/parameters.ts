import { inputAjv } from "../ajv.js";
import { CipherproofError, pointerSegment } from "../errors.js";
import type { PolicyDefinition } from "../types.js";

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
    const validate = inputAjv().compile(shape);
    if (!validate(dflt)) {
      throw new CipherproofError(
        "POLICY_PARAMETER",
        `default of parameter "${name}" does not match its own schema: ${inputAjv().errorsText(validate.errors, { dataVar: name })}`,
        { file, pointer: `/parameters/${pointerSegment(name)}/default` },
      );
    }
    values[name] = dflt;
    if (overrides && Object.hasOwn(overrides, name)) {
      const v = overrides[name];
      if (!validate(v)) {
        throw new CipherproofError(
          "POLICY_PARAMETER",
          `parameter "${name}" of policy ${def.id} is ${JSON.stringify(v)}, which is invalid: ${inputAjv().errorsText(validate.errors, { dataVar: name })}`,
          {
            file: overrideSource,
            pointer: `/policies/parameters/${pointerSegment(def.id)}/${pointerSegment(name)}`,
          },
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
