import { SAME_LEVEL_ARRAYS, SAME_LEVEL_SINGLE } from "./lint.js";

/*
 * An assertion can read a property without judging it: `{"required": ["storageEncrypted"]}` alone accepts
 * `false`, and so does `"type": "boolean"` or an `anyOf` of `true | false`. Because an absent property is an
 * `error` (missing evidence) and never a `fail`, such a policy can never fail on that property: it is weak, though
 * not vacuous in the empty-resource sense the compiler already rejects.
 *
 * The check tries, for each top-level property the assertion reads, the values that matter (both booleans, every
 * enum value, null where allowed, the numbers and strings the policy itself names and their neighbours, a few
 * generic values) against combinations of the other properties' values. A property whose value never changes the
 * outcome while the assertion can pass is reported. Where the values that matter cannot be generated (patterns,
 * formats, lengths, objects), the property is not judged: the check only reports what it can show.
 */

type Schema = Record<string, unknown>;
type Json = unknown;

/** How many combinations of the other properties' values each property is tried against. */
const BASES = 256;
/** Keywords whose satisfying values this check cannot generate; a property under them is not judged. */
const OPAQUE = [
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "multipleOf",
  "contentEncoding",
  "contentMediaType",
];

/** The subschemas that constrain each top-level property, wherever they sit among same-level combinators. */
function subschemasByProperty(schema: unknown, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (schema === null || typeof schema !== "object") return out;
  const s = schema as Schema;
  const props = s.properties;
  if (props && typeof props === "object") {
    for (const [name, sub] of Object.entries(props as Schema)) {
      const list = out.get(name);
      if (list) list.push(sub);
      else out.set(name, [sub]);
    }
  }
  for (const key of SAME_LEVEL_ARRAYS) {
    if (Array.isArray(s[key])) for (const sub of s[key] as unknown[]) subschemasByProperty(sub, out);
  }
  for (const key of SAME_LEVEL_SINGLE) subschemasByProperty(s[key], out);
  const dep = s.dependentSchemas;
  if (dep && typeof dep === "object") for (const sub of Object.values(dep)) subschemasByProperty(sub, out);
  return out;
}

/** Every value of `keys` found anywhere in a schema tree (const, enum items, bounds). */
function namedValues(node: unknown, out: Json[] = []): Json[] {
  if (node === null || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    for (const n of node) namedValues(n, out);
    return out;
  }
  const o = node as Schema;
  if ("const" in o) out.push(o.const);
  if (Array.isArray(o.enum)) out.push(...o.enum);
  for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems"]) {
    if (typeof o[k] === "number") out.push(o[k]);
  }
  for (const [k, v] of Object.entries(o)) if (k !== "const" && k !== "enum") namedValues(v, out);
  return out;
}

function hasKeyword(node: unknown, keywords: string[]): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some((n) => hasKeyword(n, keywords));
  return Object.entries(node as Schema).some(
    ([k, v]) => (keywords.includes(k) && k !== "const" && k !== "enum") || hasKeyword(v, keywords),
  );
}

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

/** Does a value fit a (scalar) type property schema: its type, enum and bounds? */
function fits(value: Json, schema: Schema): boolean {
  if (Array.isArray(schema.enum)) return schema.enum.some((e) => e === value);
  const types = typesOf(schema);
  const kind =
    value === null
      ? "null"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "integer"
          : "number"
        : typeof value;
  const ok = types.includes(kind) || (kind === "integer" && types.includes("number"));
  if (!ok) return false;
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return false;
    if (typeof schema.maximum === "number" && value > schema.maximum) return false;
  }
  return true;
}

/** Candidate values for one property, or undefined when this check cannot generate the values that matter. */
function candidates(typeSchema: Schema, policyParts: unknown[]): Json[] | undefined {
  const named = namedValues(policyParts);
  const types = typesOf(typeSchema);
  const out: Json[] = [];
  const add = (v: Json) => {
    if (!out.some((o) => Object.is(o, v)) && fits(v, typeSchema)) out.push(v);
  };
  if (Array.isArray(typeSchema.enum)) {
    for (const v of typeSchema.enum) add(v);
    return out.length ? out : undefined;
  }
  if (types.includes("array")) {
    const items = typeSchema.items as Schema | undefined;
    if (!items || typesOf(items).some((t) => t === "object" || t === "array")) return undefined;
    const itemValues = candidates(items, policyParts) ?? [];
    const arrays: Json[] = [[], ...itemValues.map((v) => [v]), itemValues.slice(0, 3)];
    if (types.includes("null")) arrays.push(null);
    return arrays;
  }
  if (types.includes("object")) return undefined;
  if (types.includes("boolean")) {
    add(true);
    add(false);
  }
  if (types.includes("null")) add(null);
  if (types.includes("integer") || types.includes("number")) {
    const step = types.includes("integer") ? 1 : 0.5;
    for (const v of [0, 1, -1, 1_000_000]) add(v);
    for (const n of named) if (typeof n === "number") for (const v of [n - step, n, n + step]) add(v);
  }
  if (types.includes("string")) {
    for (const v of ["", "x"]) add(v);
    for (const n of named) if (typeof n === "string") add(n);
  }
  return out.length ? out : undefined;
}

/** A deterministic PRNG, so a policy is judged the same way on every load. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Up to BASES assignments of the given properties: all combinations when few, a fixed sample otherwise. */
function bases(names: string[], values: Map<string, Json[]>): Record<string, Json>[] {
  const total = names.reduce((n, k) => n * (values.get(k) as Json[]).length, 1);
  const out: Record<string, Json>[] = [];
  if (total <= BASES) {
    for (let i = 0; i < total; i++) {
      const b: Record<string, Json> = {};
      let rest = i;
      for (const k of names) {
        const vs = values.get(k) as Json[];
        b[k] = vs[rest % vs.length];
        rest = Math.floor(rest / vs.length);
      }
      out.push(b);
    }
    return out;
  }
  const rand = prng(names.length * 7919 + total);
  for (let i = 0; i < BASES; i++) {
    const b: Record<string, Json> = {};
    for (const k of names) {
      const vs = values.get(k) as Json[];
      b[k] = vs[Math.floor(rand() * vs.length)];
    }
    out.push(b);
  }
  return out;
}

/** A property the assertion reads but never judges, with the values it was tried with. */
export interface UnjudgedProperty {
  name: string;
  tried: Json[];
}

/**
 * Top-level properties the assertion reads whose value never changes its outcome (see the comment at the top).
 * `assertFn` is the compiled assertion; `typeProperties` the resource type's property schemas.
 */
export function unjudgedProperties(
  assert: unknown,
  assertFn: (data: unknown) => boolean,
  topLevel: string[],
  typeProperties: Record<string, unknown>,
): UnjudgedProperty[] {
  const parts = subschemasByProperty(assert);
  const values = new Map<string, Json[]>();
  for (const name of topLevel) {
    const vs = candidates(typeProperties[name] as Schema, parts.get(name) ?? []);
    // One property whose deciding values cannot be generated makes every judgement unsure: another property may
    // matter only in combination with a value of it the check never tried.
    if (!vs || hasKeyword(parts.get(name) ?? [], OPAQUE)) return [];
    values.set(name, vs);
  }
  const out: UnjudgedProperty[] = [];
  for (const name of topLevel) {
    const others = topLevel.filter((n) => n !== name);
    const mine = values.get(name) as Json[];
    let decisive = false;
    let satisfiable = false;
    for (const base of bases(others, values)) {
      let passes = 0;
      for (const v of mine) if (assertFn({ ...base, [name]: v })) passes++;
      if (passes > 0) satisfiable = true;
      if (passes > 0 && passes < mine.length) {
        decisive = true;
        break;
      }
    }
    if (satisfiable && !decisive) out.push({ name, tried: mine });
  }
  return out;
}
