#!/usr/bin/env node
// Derives compliance_finding.schema.json (a compact JSON Schema, draft 2020-12) from the official OCSF schema
// definitions. Run once against a clone of github.com/ocsf/ocsf-schema:
//   node test/siem/ocsf/generate-schema.mjs /path/to/ocsf-schema v1.7.0 > test/siem/ocsf/compliance_finding.schema.json
// It resolves `extends` chains and `$include`d profiles of the event class and every object it reaches, maps
// dictionary types to JSON types (with the dictionary's regex, max_len and range), marks `requirement: required`
// attributes as required, turns `*_id` enums (dictionary enum ∪ class/object enum) into integer enums, turns
// `constraints` into anyOf/oneOf, and forbids attributes the schema does not define.
import { execFileSync } from "node:child_process";

const [repo, ref, className = "compliance_finding", categoryDir = "findings", ...applied] =
  process.argv.slice(2);
if (!repo || !ref) {
  process.stderr.write("usage: generate-schema.mjs OCSF_REPO REF [CLASS] [CATEGORY_DIR] [PROFILE…]\n");
  process.exit(2);
}
const appliedProfiles = new Set(applied.length ? applied : ["cloud"]);
const show = (path) =>
  JSON.parse(
    execFileSync("git", ["-C", repo, "show", `${ref}:${path}`], { encoding: "utf8", maxBuffer: 64 << 20 }),
  );
const commit = execFileSync("git", ["-C", repo, "rev-parse", `${ref}^{commit}`], { encoding: "utf8" }).trim();
const version = show("version.json").version;
const dictionary = show("dictionary.json");
const dictAttrs = dictionary.attributes;
const types = dictionary.types.attributes;
const categories = show("categories.json").attributes;

/** Attributes of a definition with `$include`d profile files merged in (tagged with their profile). */
function withIncludes(def) {
  const out = {};
  for (const [name, attr] of Object.entries(def.attributes ?? {})) {
    if (name === "$include") {
      for (const file of attr) {
        const profile = show(file);
        for (const [pn, pa] of Object.entries(profile.attributes))
          out[pn] = { profile: profile.name, ...pa, ...(out[pn] ?? {}) };
      }
    } else out[name] = { ...(out[name] ?? {}), ...attr };
  }
  return out;
}

/** Merge a definition over its `extends` chain (child attributes override parent ones field by field). */
function resolve(loader, name) {
  const def = loader(name);
  const own = withIncludes(def);
  if (!def.extends) return { def, attributes: own, constraints: def.constraints };
  const parent = resolve(loader, def.extends);
  const attributes = { ...parent.attributes };
  for (const [n, a] of Object.entries(own)) attributes[n] = { ...(attributes[n] ?? {}), ...a };
  return {
    def,
    attributes,
    constraints: def.constraints ?? parent.constraints,
    category: def.category ?? parent.category,
  };
}

const eventFiles = { base_event: "events/base_event.json" };
const loadEvent = (name) => show(eventFiles[name] ?? `events/${categoryDir}/${name}.json`);
const loadObject = (name) => show(`objects/${name}.json`);

function primitive(typeName) {
  let t = typeName;
  const extra = {};
  while (t && types[t]) {
    const d = types[t];
    if (d.regex && extra.pattern === undefined) extra.pattern = d.regex;
    if (d.max_len && extra.maxLength === undefined) extra.maxLength = d.max_len;
    if (d.range && extra.minimum === undefined) [extra.minimum, extra.maximum] = d.range;
    if (!d.type) break;
    t = d.type;
  }
  const base = {
    string_t: "string",
    integer_t: "integer",
    long_t: "integer",
    float_t: "number",
    boolean_t: "boolean",
  }[t];
  if (t === "json_t") return {};
  if (!base) throw new Error(`unknown base type ${typeName}`);
  return { type: base, ...extra };
}

const defs = {};
function attributeSchema(name, attr) {
  const dict = dictAttrs[name];
  if (!dict) throw new Error(`attribute ${name} not in dictionary`);
  const type = attr.type ?? dict.type;
  let s;
  if (type === "object") s = { type: "object" };
  else if (type.endsWith("_t")) s = primitive(type);
  else {
    objectDef(type);
    s = { $ref: `#/$defs/${type}` };
  }
  const enumKeys = new Set([...Object.keys(dict.enum ?? {}), ...Object.keys(attr.enum ?? {})]);
  if (enumKeys.size)
    s = {
      ...s,
      enum: [...enumKeys].map((k) => (s.type === "integer" ? Number(k) : k)).sort((a, b) => (a > b ? 1 : -1)),
    };
  return (attr.is_array ?? dict.is_array) ? { type: "array", items: s } : s;
}

function constraintSchemas(constraints) {
  const out = [];
  if (constraints?.at_least_one)
    out.push({ anyOf: constraints.at_least_one.map((n) => ({ required: [n] })) });
  if (constraints?.just_one) out.push({ oneOf: constraints.just_one.map((n) => ({ required: [n] })) });
  return out;
}

function build(resolved, profilesApplied) {
  const properties = {};
  const required = [];
  for (const [n, a] of Object.entries(resolved.attributes)) {
    properties[n] = attributeSchema(n, a);
    const profileOk = !a.profile || profilesApplied.has(a.profile);
    if (a.requirement === "required" && profileOk) required.push(n);
  }
  const schema = { type: "object", additionalProperties: false, properties };
  if (required.length) schema.required = required.sort();
  const c = constraintSchemas(resolved.constraints);
  if (c.length) schema.allOf = c;
  return schema;
}

function objectDef(name) {
  if (defs[name]) return;
  defs[name] = {}; // placeholder stops recursion
  defs[name] = build(resolve(loadObject, name), new Set());
}

const event = resolve(loadEvent, className);
const schema = build(event, appliedProfiles);
const categoryUid = categories[event.category].uid;
const classUid = categoryUid * 1000 + event.def.uid;
const activityIds = schema.properties.activity_id.enum;
schema.properties.category_uid = { ...schema.properties.category_uid, enum: [categoryUid] };
schema.properties.class_uid = { ...schema.properties.class_uid, enum: [classUid] };
schema.properties.type_uid = {
  ...schema.properties.type_uid,
  enum: activityIds.map((a) => classUid * 100 + a),
};

process.stdout.write(
  `${JSON.stringify(
    {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: `urn:ocsf:${version}:${className}`,
      title: `OCSF ${version} ${event.def.caption} (class_uid ${classUid}); profiles applied: ${[...appliedProfiles].join(", ")}`,
      $comment: `Generated by test/siem/ocsf/generate-schema.mjs from github.com/ocsf/ocsf-schema at ${ref} (${commit}).`,
      ...schema,
      $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
    },
    null,
    1,
  )}\n`,
);
