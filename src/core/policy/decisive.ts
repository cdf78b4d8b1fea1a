import { hasSchemaKeyword, SAME_LEVEL_ARRAYS, SAME_LEVEL_SINGLE, schemaNodes } from "./lint.js";

/*
 * An assertion can read a property without judging it: `{"required": ["storageEncrypted"]}` alone accepts
 * `false`, and so does `"type": "boolean"` or an `anyOf` of `true | false`. Because an absent property is an
 * `error` (missing evidence) and never a `fail`, such a policy can never fail on that property: it is weak, though
 * not vacuous in the empty-resource sense the compiler already rejects.
 *
 * The check builds test resources from the values that matter for each property the policy reads (both booleans,
 * every enum value, null where allowed, the numbers and strings the policy itself names and their neighbours, arrays
 * of those values and of the lengths the policy names, one unnamed value) and keeps those the `when` selects. A
 * property is reported when the assertion passes on some of them and no change of that property alone ever turns a
 * pass into a fail. It reports only what it can show: when it cannot generate the values that matter (patterns,
 * formats, lengths of strings, objects) or there are too many combinations to try them all, it stays silent.
 */

type Schema = Record<string, unknown>;
type Json = unknown;

/** The most combinations of the other properties' values a property is tried against (all of them, or none). */
const MAX_BASES = 4096;
/** Keywords whose satisfying values this check cannot generate; a policy using them is not judged. */
const OPAQUE = [
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "multipleOf",
  "uniqueItems",
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
  return out;
}

/**
 * Values a list of schema trees names: const, enum items and numeric bounds (array lengths separately). Only schema
 * positions are walked: a `default` or `examples` holding `{"minimum": 5}` is data, not a bound.
 */
function namedValues(schemas: unknown[], out: { values: Json[]; lengths: number[] }): void {
  for (const schema of schemas) {
    for (const [o] of schemaNodes(schema)) {
      if ("const" in o) out.values.push(o.const);
      if (Array.isArray(o.enum)) out.values.push(...o.enum);
      for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
        if (typeof o[k] === "number") out.values.push(o[k]);
      }
      for (const k of ["minItems", "maxItems", "minContains", "maxContains"]) {
        if (typeof o[k] === "number") out.lengths.push(o[k] as number);
      }
    }
  }
}

/** Does a schema in the list use one of the keywords in a schema position (never inside annotation or data)? */
function hasKeyword(schemas: unknown[], keywords: readonly string[]): boolean {
  return schemas.some((s) => hasSchemaKeyword(s, keywords));
}

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

/** Does a scalar fit a type property schema: its type, enum and bounds? */
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
  if (!(types.includes(kind) || (kind === "integer" && types.includes("number")))) return false;
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return false;
    if (typeof schema.maximum === "number" && value > schema.maximum) return false;
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) return false;
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) return false;
  }
  return true;
}

/** Values to try for one property: `all` when judging it, the smaller `focus` when it is a bystander. */
interface Candidates {
  all: Json[];
  focus: Json[];
}

class ValueSet {
  readonly values: Json[] = [];
  private readonly keys = new Set<string>();
  add(v: Json): void {
    const k = JSON.stringify(v);
    if (!this.keys.has(k)) {
      this.keys.add(k);
      this.values.push(v);
    }
  }
}

/** Candidate scalars for a scalar type schema; undefined when none can be generated. */
function scalarCandidates(typeSchema: Schema, named: Json[]): Candidates | undefined {
  const all = new ValueSet();
  const focus = new ValueSet();
  const both = (v: Json) => {
    if (fits(v, typeSchema)) {
      all.add(v);
      focus.add(v);
    }
  };
  const types = typesOf(typeSchema);
  if (Array.isArray(typeSchema.enum)) {
    for (const v of typeSchema.enum) all.add(v);
    for (const v of named) if (fits(v, typeSchema)) focus.add(v);
    // One value the policy does not name stands for all the others.
    const other = typeSchema.enum.find((v) => !named.some((n) => n === v));
    if (other !== undefined) focus.add(other);
    if (types.includes("null") || typeSchema.enum.includes(null)) both(null);
  } else {
    if (types.includes("boolean")) {
      both(true);
      both(false);
    }
    if (types.includes("null")) both(null);
    if (types.includes("integer") || types.includes("number")) {
      const step = types.includes("integer") ? 1 : 0.5;
      for (const n of named) if (typeof n === "number") for (const v of [n - step, n, n + step]) both(v);
      for (const v of [0, 1, -1, 1_000_000]) if (fits(v, typeSchema)) all.add(v);
      if (!focus.values.some((v) => typeof v === "number")) both(0);
    }
    if (types.includes("string")) {
      for (const n of named) if (typeof n === "string") both(n);
      for (const v of ["", "x"]) if (fits(v, typeSchema)) all.add(v);
      both("x");
    }
  }
  return all.values.length ? { all: all.values, focus: focus.values } : undefined;
}

/** Candidate arrays for an array of scalars: empty, single items, the named items together, the named lengths. */
function arrayCandidates(typeSchema: Schema, named: Json[], lengths: number[]): Candidates | undefined {
  const items = typeSchema.items as Schema | undefined;
  if (!items || typesOf(items).some((t) => t === "object" || t === "array")) return undefined;
  const itemCands = scalarCandidates(items, named);
  if (!itemCands) return undefined;
  const namedItems = named.filter((v) => fits(v, items));
  const generic = itemCands.all.filter((v) => !namedItems.some((n) => n === v));
  // Fillers for arrays longer than the known values: distinct strings when items are free-form strings.
  const filler = (i: number): Json =>
    typesOf(items).includes("string") && !Array.isArray(items.enum)
      ? `v${i}`
      : itemCands.all[i % itemCands.all.length];
  const all = new ValueSet();
  const focus = new ValueSet();
  const both = (v: Json) => {
    all.add(v);
    focus.add(v);
  };
  both([]);
  for (const v of itemCands.all) all.add([v]);
  for (const v of namedItems) focus.add([v]);
  if (namedItems.length > 1) both(namedItems);
  if (generic.length) {
    both([generic[0]]);
    all.add([...namedItems, generic[0]]);
  }
  for (let i = 0; i < namedItems.length; i++) {
    for (let j = i + 1; j < namedItems.length; j++) all.add([namedItems[i], namedItems[j]]);
  }
  for (const n of lengths) {
    for (const len of [n - 1, n, n + 1]) {
      if (len < 1 || len > 64) continue;
      const known = [...namedItems, ...generic];
      both(Array.from({ length: len }, (_, i) => (i < known.length ? known[i] : filler(i))));
      if (namedItems.length)
        all.add(Array.from({ length: len }, (_, i) => namedItems[i % namedItems.length]));
    }
  }
  if (typesOf(typeSchema).includes("null")) both(null);
  return { all: all.values, focus: focus.values };
}

/** Candidates for one property from its type schema and the subschemas that constrain it; undefined if unsure. */
function propertyCandidates(typeSchema: Schema, own: unknown[]): Candidates | undefined {
  if (hasKeyword(own, OPAQUE)) return undefined;
  const named = { values: [] as Json[], lengths: [] as number[] };
  namedValues(own, named);
  return typesOf(typeSchema).includes("array")
    ? arrayCandidates(typeSchema, named.values, named.lengths)
    : typesOf(typeSchema).includes("object")
      ? undefined
      : scalarCandidates(typeSchema, named.values);
}

/** Every assignment of the given properties from their focus values, or undefined when there are too many. */
function bases(names: string[], values: Map<string, Candidates>): Record<string, Json>[] | undefined {
  let total = 1;
  for (const k of names) {
    total *= (values.get(k) as Candidates).focus.length;
    if (total > MAX_BASES) return undefined;
  }
  const out: Record<string, Json>[] = [];
  for (let i = 0; i < total; i++) {
    const b: Record<string, Json> = {};
    let rest = i;
    for (const k of names) {
      const vs = (values.get(k) as Candidates).focus;
      b[k] = vs[rest % vs.length];
      rest = Math.floor(rest / vs.length);
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

/** What the check needs of a compiled policy. */
export interface DecisiveInput {
  assert: Schema;
  assertFn: (data: unknown) => boolean;
  assertTopLevel: string[];
  when?: Schema;
  whenFn?: (data: unknown) => boolean;
  whenTopLevel: string[];
  /** The resource type's property schemas. */
  typeProperties: Record<string, unknown>;
}

/** Top-level properties the assertion reads whose value never changes its outcome (see the comment at the top). */
export function unjudgedProperties(input: DecisiveInput): UnjudgedProperty[] {
  const { assert, assertFn, when, whenFn, typeProperties } = input;
  const parts = subschemasByProperty(assert);
  if (when) for (const [k, v] of subschemasByProperty(when)) parts.set(k, [...(parts.get(k) ?? []), ...v]);
  const names = [...new Set([...input.assertTopLevel, ...input.whenTopLevel])];
  const values = new Map<string, Candidates>();
  for (const name of names) {
    const own = parts.get(name) ?? [];
    // One property whose deciding values cannot be generated makes every judgement unsure: another property may
    // matter only in combination with a value of it the check never tried.
    const cands = propertyCandidates(typeProperties[name] as Schema, own);
    if (!cands) return [];
    values.set(name, cands);
  }
  const out: UnjudgedProperty[] = [];
  for (const name of input.assertTopLevel) {
    const all = bases(
      names.filter((n) => n !== name),
      values,
    );
    if (!all) continue; // too many combinations to be sure
    const mine = (values.get(name) as Candidates).all;
    let decisive = false;
    let satisfiable = false;
    for (const base of all) {
      let passes = 0;
      let fails = 0;
      for (const v of mine) {
        const doc = { ...base, [name]: v };
        if (whenFn && !whenFn(doc)) continue;
        if (assertFn(doc)) passes++;
        else fails++;
      }
      if (passes) satisfiable = true;
      if (passes && fails) {
        decisive = true;
        break;
      }
    }
    if (satisfiable && !decisive) out.push({ name, tried: mine });
  }
  return out;
}

/**
 * Values to try for each named top-level property when the resource lacks it: could some value make the assertion
 * pass? A name maps to undefined when its deciding values cannot be generated (the engine then assumes it could).
 */
export function fillCandidates(
  assert: Schema,
  names: string[],
  typeProperties: Record<string, unknown>,
): Map<string, Json[] | undefined> {
  const parts = subschemasByProperty(assert);
  const out = new Map<string, Json[] | undefined>();
  for (const name of names) {
    out.set(name, propertyCandidates(typeProperties[name] as Schema, parts.get(name) ?? [])?.all);
  }
  return out;
}
