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
 * Where a walk stands, beyond the schema and pointer: the negation parity (an odd number of `not`s above this
 * schema at any level: `not` inside `not` restores the positive reading), whether an explicit `minItems` stands at
 * positive parity on the path at this value level, and how to name the value in messages.
 */
interface WalkState {
  negated: boolean;
  minItemsOnPath: boolean;
  label: string;
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
  state: WalkState = { negated: false, minItemsOnPath: false, label: "the resource" },
): ReadSet {
  if (typeof schema !== "object" || schema === null) return reads;
  const { negated } = state;
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
  if (schema.$id !== undefined) {
    const kw = "$id";
    // A schema with an id is registered in the shared ajv instance: compiling it again (a retry, a second scan in
    // the same process, another policy with the same id) fails, and other schemas could refer to it.
    throw new CipherproofError(
      "POLICY_SCHEMA",
      `"${kw}" is not supported in policies: a policy's schemas are anonymous and compiled on their own`,
      { file, pointer: `${pointer}/${kw}` },
      `remove "${kw}" (use "$comment" or "description" for notes)`,
    );
  }
  // Below the top level the engine cannot tell an absent property from a present one: an `if` that fails because
  // a nested property is absent skips its `then`, and a `dependencies` entry whose trigger is absent does not
  // apply, so an item without the property could pass. (At the top level an absent property is an error finding.)
  if (prefix !== "") {
    for (const kw of ["if", "dependencies"] as const) {
      // An `if` on the value itself (`{"if": {"type": "integer"}, "then": {"minimum": 2048}}`) reads no property.
      if (kw === "if" && schema.if !== undefined && !hasSchemaKeyword(schema.if, PROPERTY_READING)) continue;
      if (schema[kw] !== undefined)
        throw new CipherproofError(
          "POLICY_SCHEMA",
          `"${kw}" is not supported below the top level of a policy: for ${state.label}, a nested property that is absent would skip the condition and could pass`,
          { file, pointer: `${pointer}/${kw}` },
          'state the condition with "anyOf" alternatives that each list their properties under "required"',
        );
    }
  }
  // A positive-parity `minItems` here holds for everything below at this value level (they are all conjuncts).
  const here: WalkState = {
    ...state,
    minItemsOnPath: state.minItemsOnPath || (!negated && typeof schema.minItems === "number"),
  };
  checkEnumValues(schema, typeNode, typeName, file, pointer, state.label);
  checkType(schema, typeNode, typeName, file, pointer, state.label);
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
    if (prefix !== "" && !negated) {
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
      collectReads(sub, child, typeName, file, at, reads, `${prefix}${name}.`, {
        negated,
        minItemsOnPath: false,
        label: `${prefix}${name}`,
      });
    }
  }
  const required = schema.required;
  if (Array.isArray(required)) {
    required.forEach((name, i) => {
      if (typeof name !== "string") return;
      checkName(name, `${pointer}/required/${i}`);
      if (prefix !== "" && negated) {
        // Under an odd number of `not`s the reading flips: "required" makes an item without the property fail the
        // negated part, i.e. pass the whole. Below the top level the engine cannot see that absence.
        throw new CipherproofError(
          "POLICY_VACUOUS",
          `nested property "${prefix}${name}" is required inside a negation ("not"), so an item without it would pass`,
          { file, pointer: `${pointer}/required/${i}` },
          `leave "${name}" out of "required" inside "not": an item without it then counts as matching what the "not" excludes, and fails`,
        );
      }
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
          collectReads(val as Schema, typeNode, typeName, file, at, reads, prefix, here);
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
          here,
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
        key === "not" ? { ...here, negated: !negated } : here,
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
  const arrayName = prefix.slice(0, -1) || "the value";
  for (const key of ITEM_KEYS) {
    if (schema[key] !== undefined && typeof schema[key] === "object" && !Array.isArray(schema[key])) {
      const min = schema.minItems;
      // Universal over the elements, so an empty array satisfies it: plain "items", and "contains" under an odd
      // number of "not"s ("no element matches"). The author must say what an empty list means.
      if (key === "items" && !negated && typeof min !== "number" && !here.minItemsOnPath) {
        throw new CipherproofError(
          "POLICY_VACUOUS",
          `"items" constrains the elements of ${arrayName}, but an empty array would pass`,
          { file, pointer: `${pointer}/items` },
          'add "minItems": 1 beside "items" ("minItems": 0 if an empty list complies)',
        );
      }
      // In a `when` an empty list only makes the policy apply; it cannot produce a pass.
      if (key === "contains" && negated && !here.minItemsOnPath && !pointer.startsWith("/when")) {
        throw new CipherproofError(
          "POLICY_VACUOUS",
          `"contains" inside "not" says no element of ${arrayName} may match, which an empty array satisfies`,
          { file, pointer: `${pointer}/contains` },
          'add "minItems": 1 beside the "not" ("minItems": 0 if an empty list complies)',
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
        { negated, minItemsOnPath: false, label: `an element of ${arrayName}` },
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

/** The JSON type of a value, with "integer" for whole numbers. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The JSON types a type schema allows (from `type`, else from its enum); undefined when it does not say. */
function declaredTypes(typeNode: TypeNode | undefined): string[] | undefined {
  const node = typeNode as { type?: unknown; enum?: unknown[] } | undefined;
  if (!node) return undefined;
  if (typeof node.type === "string") return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === "string");
  if (Array.isArray(node.enum)) return [...new Set(node.enum.map(kindOf))];
  return undefined;
}

/** Does a value of JSON type `kind` fit one of `types` (an integer is a number)? */
function kindFits(kind: string, types: string[]): boolean {
  return types.includes(kind) || (kind === "integer" && types.includes("number"));
}

/** Do two lists of JSON types share a value ("number" and "integer" share the integers)? */
function typesOverlap(a: string[], b: string[]): boolean {
  return a.some(
    (t) =>
      b.includes(t) || (t === "number" && b.includes("integer")) || (t === "integer" && b.includes("number")),
  );
}

/** How deep `valueMismatch` follows arrays and objects (a const is data: no recursion limit of its own). */
const MAX_VALUE_DEPTH = 32;

/**
 * Why a const/enum value cannot be a value of this type schema (its JSON type, its enum, its elements and known
 * properties, recursively), or undefined when it can or the schema does not say.
 */
function valueMismatch(value: unknown, typeNode: TypeNode | undefined, depth = 0): string | undefined {
  if (!typeNode || typeof typeNode !== "object" || depth > MAX_VALUE_DEPTH) return undefined;
  const allowedValues = (typeNode as { enum?: unknown[] }).enum;
  if (Array.isArray(allowedValues)) {
    const key = JSON.stringify(value);
    return allowedValues.some((a) => a === value || (typeof a === "object" && JSON.stringify(a) === key))
      ? undefined
      : "enum";
  }
  const types = declaredTypes(typeNode);
  if (types && !kindFits(kindOf(value), types)) return "type";
  if (Array.isArray(value) && typeNode.items && typeof typeNode.items === "object") {
    for (const v of value) {
      const why = valueMismatch(v, typeNode.items as TypeNode, depth + 1);
      if (why) return why;
    }
  } else if (value !== null && typeof value === "object" && typeNode.properties) {
    for (const [k, v] of Object.entries(value)) {
      if (!Object.hasOwn(typeNode.properties, k)) continue;
      const why = valueMismatch(v, typeNode.properties[k] as TypeNode, depth + 1);
      if (why) return why;
    }
  }
  return undefined;
}

/**
 * A `const` or `enum` value must be one the property can have: from its enum when it has one (a typo never
 * matches), else of a JSON type it allows (`"true"` never equals a boolean, 1.5 never an integer).
 */
function checkEnumValues(
  schema: Record<string, unknown>,
  typeNode: TypeNode | undefined,
  typeName: string,
  file: string,
  pointer: string,
  label: string,
): void {
  const allowed = (typeNode as { enum?: unknown[] } | undefined)?.enum;
  const types = declaredTypes(typeNode);
  const check = (value: unknown, at: string) => {
    const why = valueMismatch(value, typeNode);
    if (why === undefined) return;
    if (why === "enum" && Array.isArray(allowed)) {
      const hint =
        typeof value === "string"
          ? suggest(
              value,
              allowed.filter((a): a is string => typeof a === "string"),
            )
          : undefined;
      throw new CipherproofError(
        "POLICY_UNKNOWN_PROPERTY",
        `${JSON.stringify(value)} is not a value ${label} can have in ${typeName} (allowed: ${allowed.map((a) => JSON.stringify(a)).join(", ")})`,
        { file, pointer: at },
        hint ? `did you mean ${JSON.stringify(hint)}?` : "use one of the allowed values",
      );
    }
    throw new CipherproofError(
      "POLICY_UNKNOWN_PROPERTY",
      `${JSON.stringify(value)} is not a value ${label} can have in ${typeName}: ${
        why === "type"
          ? `it is ${article(kindOf(value))}, and ${label} is ${typeList(types ?? [])}`
          : "a part of it is of the wrong type"
      }, so it never matches`,
      { file, pointer: at },
      why === "type"
        ? `use ${typeList(types ?? [])} value${typeExample(types ?? [])}; \`cipherproof policies types\` lists each type's properties`
        : "`cipherproof policies types` lists each type's properties and their types",
    );
  };
  if (schema.const !== undefined) check(schema.const, `${pointer}/const`);
  if (Array.isArray(schema.enum)) {
    for (let i = 0; i < schema.enum.length; i++) check(schema.enum[i], `${pointer}/enum/${i}`);
  }
}

/** A `type` must share a JSON type with the property's declared type(s), or nothing could ever match it. */
function checkType(
  schema: Record<string, unknown>,
  typeNode: TypeNode | undefined,
  typeName: string,
  file: string,
  pointer: string,
  label: string,
): void {
  const t = schema.type;
  const wanted =
    typeof t === "string"
      ? [t]
      : Array.isArray(t)
        ? t.filter((x): x is string => typeof x === "string")
        : undefined;
  const types = declaredTypes(typeNode);
  if (!wanted || !types || typesOverlap(wanted, types)) return;
  throw new CipherproofError(
    "POLICY_UNKNOWN_PROPERTY",
    `"type": ${JSON.stringify(t)} never matches ${label} in ${typeName}, which is ${typeList(types)}`,
    { file, pointer: `${pointer}/type` },
    `${label} is declared as ${typeList(types)} (\`cipherproof policies types\` lists each type's properties)`,
  );
}

/** An example of the usual slip for these types, for hints. */
function typeExample(types: string[]): string {
  if (types.includes("boolean")) return ' (true, not "true")';
  if (types.includes("integer") && !types.includes("number")) return " (a whole number: 2, not 2.5)";
  if (types.includes("number") || types.includes("integer")) return ' (1.2, not "1.2")';
  return "";
}

function article(kind: string): string {
  if (kind === "null") return "null";
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function typeList(types: string[]): string {
  return types.length ? types.map(article).join(" or ") : "of no known type";
}

// Where a schema holds schemas (JSON Schema draft-07 and later): one schema, a list, or a map of them. Every other
// keyword's value is data or an annotation (const, enum, default, examples, title, ...) and is never walked as one.
const SUBSCHEMA_SINGLE = [
  "not",
  "if",
  "then",
  "else",
  "items",
  "additionalItems",
  "contains",
  "additionalProperties",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
] as const;
const SUBSCHEMA_LIST = ["allOf", "anyOf", "oneOf", "items", "prefixItems"] as const;
const SUBSCHEMA_MAP = [
  "properties",
  "patternProperties",
  "definitions",
  "$defs",
  "dependentSchemas",
  "dependencies",
] as const;

/** The direct subschemas of a schema with their JSON pointers; annotation and data values are not among them. */
export function subschemas(node: unknown, pointer = ""): Array<[Record<string, unknown>, string]> {
  const out: Array<[Record<string, unknown>, string]> = [];
  if (node === null || typeof node !== "object" || Array.isArray(node)) return out;
  const o = node as Record<string, unknown>;
  const isSchema = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  for (const k of SUBSCHEMA_SINGLE) if (isSchema(o[k])) out.push([o[k], `${pointer}/${pointerSegment(k)}`]);
  for (const k of SUBSCHEMA_LIST) {
    const list = o[k];
    if (Array.isArray(list)) {
      list.forEach((v, i) => {
        if (isSchema(v)) out.push([v, `${pointer}/${pointerSegment(k)}/${i}`]);
      });
    }
  }
  for (const k of SUBSCHEMA_MAP) {
    const map = o[k];
    if (!isSchema(map)) continue;
    // `dependencies` values are either a list of names (data) or a schema.
    for (const [name, v] of Object.entries(map)) {
      if (isSchema(v)) out.push([v, `${pointer}/${pointerSegment(k)}/${pointerSegment(name)}`]);
    }
  }
  return out;
}

/**
 * Every schema node of a schema tree, the root first, with its pointer; iterative (a policy's nesting is bounded
 * before this runs, but a walk should not be what overflows).
 */
export function schemaNodes(root: unknown, pointer = ""): Array<[Record<string, unknown>, string]> {
  const out: Array<[Record<string, unknown>, string]> = [];
  if (root === null || typeof root !== "object" || Array.isArray(root)) return out;
  const stack: Array<[Record<string, unknown>, string]> = [[root as Record<string, unknown>, pointer]];
  while (stack.length) {
    const item = stack.pop() as [Record<string, unknown>, string];
    out.push(item);
    const subs = subschemas(item[0], item[1]);
    for (let i = subs.length - 1; i >= 0; i--) stack.push(subs[i]);
  }
  return out;
}

/** Keywords through which a schema (or any schema nested in it) reads the properties of an object value. */
const PROPERTY_READING = ["properties", "required", "dependencies"] as const;

/** Does any schema node of the tree use one of these keywords (in a schema position, not inside data)? */
export function hasSchemaKeyword(root: unknown, keywords: readonly string[]): boolean {
  return schemaNodes(root).some(([node]) => keywords.some((k) => Object.hasOwn(node, k)));
}

// The JSON Schema keywords a policy or parameter schema is likely to mean, for "did you mean" on a typo.
const KEYWORDS = [
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "items",
  "contains",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "not",
  "anyOf",
  "allOf",
  "oneOf",
  "if",
  "then",
  "else",
  "additionalProperties",
  "minContains",
  "maxContains",
  "dependencies",
];

/** The keyword a misspelt one probably meant, if any. */
export function suggestKeyword(kw: string): string | undefined {
  return suggest(kw, KEYWORDS);
}

/**
 * Find the JSON pointer of the first use of a keyword in a schema (to place ajv errors): in schema positions first,
 * then anywhere (ajv may complain about a place this walk does not treat as a schema).
 */
export function findKeyword(node: unknown, keyword: string, pointer: string): string | undefined {
  for (const [n, at] of schemaNodes(node, pointer)) {
    if (Object.hasOwn(n, keyword)) return `${at}/${pointerSegment(keyword)}`;
  }
  return findKeyAnywhere(node, keyword, pointer);
}

/** Find the JSON pointer of the first object key with this name anywhere inside a value. */
function findKeyAnywhere(node: unknown, keyword: string, pointer: string, depth = 0): string | undefined {
  if (node === null || typeof node !== "object" || depth > 256) return undefined;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const hit = findKeyAnywhere(node[i], keyword, `${pointer}/${i}`, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(node)) {
    const here = `${pointer}/${pointerSegment(k)}`;
    if (k === keyword) return here;
    const hit = findKeyAnywhere(v, keyword, here, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
