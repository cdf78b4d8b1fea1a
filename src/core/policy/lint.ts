import { CipherproofError, pointerSegment } from "../errors.js";

type Schema = Record<string, unknown> | boolean;
/** The parts of a resource type schema the lint walks. */
export interface TypeNode {
  properties?: Record<string, unknown>;
  items?: unknown;
}

export const SAME_LEVEL_ARRAYS = ["allOf", "anyOf", "oneOf"] as const;
export const SAME_LEVEL_SINGLE = ["not", "if", "then", "else"] as const;
const ITEM_KEYS = ["items", "contains", "additionalItems", "unevaluatedItems"] as const;

/** What a schema reads: dotted property paths, plus which top-level names it reads. */
export interface ReadSet {
  paths: Set<string>;
  topLevel: Set<string>;
}

/** Small edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(
        dp[j] + 1,
        dp[j - 1] + 1,
        prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** The closest known name to a misspelled one, if any is close. */
export function suggest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/**
 * Walk a policy schema alongside its resource type schema: every property it reads must exist in the type
 * (a misspelling would otherwise pass vacuously). Returns the paths it reads.
 */
export function collectReads(
  schema: Schema,
  typeNode: TypeNode | undefined,
  typeName: string,
  file: string,
  pointer: string,
  reads: ReadSet = { paths: new Set(), topLevel: new Set() },
  prefix = "",
  inNot = false,
): ReadSet {
  if (typeof schema !== "object" || schema === null) return reads;
  for (const kw of UNCHECKABLE) {
    const present = kw === "additionalProperties" ? typeof schema[kw] === "object" : schema[kw] !== undefined;
    if (present) {
      throw new CipherproofError(
        "POLICY_SCHEMA",
        `"${kw}" is not supported in policies: the lint cannot tell which properties it reads, so a misspelling under it would pass unnoticed`,
        { file, pointer: `${pointer}/${kw}` },
        'name each property under "properties" (and list it under "required")',
      );
    }
  }
  checkEnumValues(schema, typeNode, typeName, file, pointer, prefix);
  const checkName = (name: string, at: string): TypeNode | undefined => {
    const known = typeNode?.properties;
    if (known && !Object.hasOwn(known, name)) {
      const hint = suggest(name, Object.keys(known));
      throw new CipherproofError(
        "POLICY_UNKNOWN_PROPERTY",
        `property "${prefix}${name}" does not exist in resource type ${typeName}`,
        { file, pointer: at },
        hint
          ? `did you mean "${prefix}${hint}"? (\`cipherproof policies types\` lists each type's properties)`
          : "check the resource type's schema for the property names collectors fill",
      );
    }
    const path = `${prefix}${name}`;
    reads.paths.add(path);
    if (prefix === "") reads.topLevel.add(name);
    return known?.[name] as TypeNode | undefined;
  };

  const props = schema.properties;
  if (props && typeof props === "object") {
    if (prefix !== "" && !inNot) {
      // Below the top level the engine cannot see absence, so every nested property read must be required.
      const req = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
      for (const name of Object.keys(props)) {
        if (!req.includes(name)) {
          throw new CipherproofError(
            "POLICY_VACUOUS",
            `nested property "${prefix}${name}" is read but not required, so an item without it would pass`,
            { file, pointer: `${pointer}/properties/${pointerSegment(name)}` },
            `add "${name}" to "required" beside these "properties"`,
          );
        }
      }
    }
    for (const [name, sub] of Object.entries(props as Record<string, Schema>)) {
      const at = `${pointer}/properties/${pointerSegment(name)}`;
      const child = checkName(name, at);
      collectReads(sub, child, typeName, file, at, reads, `${prefix}${name}.`, inNot);
    }
  }
  const required = schema.required;
  if (Array.isArray(required)) {
    required.forEach((name, i) => {
      if (typeof name === "string") checkName(name, `${pointer}/required/${i}`);
    });
  }
  // `dependencies` (draft-07, what this ajv speaks) maps a property to required names or to a schema; the 2019-09
  // split keywords are handled too in case a policy is compiled elsewhere.
  for (const key of ["dependencies", "dependentRequired", "dependentSchemas"] as const) {
    const dep = schema[key];
    if (dep && typeof dep === "object") {
      for (const [name, val] of Object.entries(dep as Record<string, unknown>)) {
        const at = `${pointer}/${key}/${pointerSegment(name)}`;
        checkName(name, at);
        if (Array.isArray(val)) {
          for (let i = 0; i < val.length; i++) checkName(String(val[i]), `${at}/${i}`);
        } else if (val !== null && typeof val === "object") {
          collectReads(val as Schema, typeNode, typeName, file, at, reads, prefix, inNot);
        }
      }
    }
  }
  for (const key of SAME_LEVEL_ARRAYS) {
    const list = schema[key];
    if (Array.isArray(list)) {
      for (let i = 0; i < list.length; i++) {
        collectReads(
          list[i] as Schema,
          typeNode,
          typeName,
          file,
          `${pointer}/${key}/${i}`,
          reads,
          prefix,
          inNot,
        );
      }
    }
  }
  for (const key of SAME_LEVEL_SINGLE) {
    if (schema[key] !== undefined)
      collectReads(
        schema[key] as Schema,
        typeNode,
        typeName,
        file,
        `${pointer}/${key}`,
        reads,
        prefix,
        inNot || key === "not",
      );
  }
  if (Array.isArray(schema.items)) {
    throw new CipherproofError(
      "POLICY_SCHEMA",
      `"items" as a list (one schema per position) is not supported in policies: the lint does not read inside it, so a misspelling or a "$ref" there would pass unnoticed`,
      { file, pointer: `${pointer}/items` },
      'give "items" one schema for every element (with "minItems"), or use "contains"',
    );
  }
  for (const key of ITEM_KEYS) {
    if (schema[key] !== undefined && typeof schema[key] === "object" && !Array.isArray(schema[key])) {
      const min = schema.minItems;
      if (key === "items" && !inNot && typeof min !== "number") {
        throw new CipherproofError(
          "POLICY_VACUOUS",
          `"items" constrains the elements of ${prefix.slice(0, -1) || "the value"}, but an empty array would pass`,
          { file, pointer: `${pointer}/items` },
          'add "minItems": 1 beside "items" ("minItems": 0 if an empty list complies)',
        );
      }
      collectReads(
        schema[key] as Schema,
        typeNode?.items as TypeNode | undefined,
        typeName,
        file,
        `${pointer}/${key}`,
        reads,
        prefix,
        inNot,
      );
    }
  }
  return reads;
}

// Keywords that read properties the lint cannot enumerate (or indirect through references).
const UNCHECKABLE = [
  "$ref",
  "$defs",
  "definitions",
  "$dynamicRef",
  "$anchor",
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "additionalProperties",
] as const;

/** A `const` or `enum` on a property whose type has an enum must use values from it (a typo never matches). */
function checkEnumValues(
  schema: Record<string, unknown>,
  typeNode: TypeNode | undefined,
  typeName: string,
  file: string,
  pointer: string,
  prefix: string,
): void {
  const allowed = (typeNode as { enum?: unknown[] } | undefined)?.enum;
  if (!Array.isArray(allowed) || prefix === "") return;
  const check = (value: unknown, at: string) => {
    if (!allowed.some((a) => a === value)) {
      const hint =
        typeof value === "string"
          ? suggest(
              value,
              allowed.filter((a): a is string => typeof a === "string"),
            )
          : undefined;
      throw new CipherproofError(
        "POLICY_UNKNOWN_PROPERTY",
        `${JSON.stringify(value)} is not a value ${prefix.slice(0, -1)} can have in ${typeName} (allowed: ${allowed.map((a) => JSON.stringify(a)).join(", ")})`,
        { file, pointer: at },
        hint ? `did you mean ${JSON.stringify(hint)}?` : "use one of the allowed values",
      );
    }
  };
  if (schema.const !== undefined) check(schema.const, `${pointer}/const`);
  if (Array.isArray(schema.enum)) {
    for (let i = 0; i < schema.enum.length; i++) check(schema.enum[i], `${pointer}/enum/${i}`);
  }
}

/** Find the JSON pointer of the first object key with this name inside a schema (to place ajv errors). */
export function findKeyword(node: unknown, keyword: string, pointer: string): string | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const hit = findKeyword(node[i], keyword, `${pointer}/${i}`);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(node)) {
    const here = `${pointer}/${pointerSegment(k)}`;
    if (k === keyword) return here;
    const hit = findKeyword(v, keyword, here);
    if (hit) return hit;
  }
  return undefined;
}
