// Synthetic resource documents for the benchmarks: every property of every type that has a policy, filled with
// deterministic pseudo-random values (a fixed seed, so every run judges the same resources).
import { RESOURCE_TYPES } from "../dist/resources/index.js";

/** A deterministic PRNG (LCG) returning numbers in [0, 1). */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A value valid for a property schema; booleans are true with probability `trueRate`. */
export function valueFor(schema, rand, trueRate) {
  if (schema.enum) return schema.enum[Math.floor(rand() * schema.enum.length)];
  if (Array.isArray(schema.type) && schema.type.includes("null") && rand() < 0.1) return null;
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== "null") : [schema.type];
  switch (types[0]) {
    case "boolean":
      return rand() < trueRate;
    case "integer":
      return Math.floor(rand() * 500);
    case "number":
      return Math.round(rand() * 30) / 10;
    case "array":
      // A list of records (the certificates an endpoint presented) gets one or two records of its item schema.
      if (schema.items?.type === "object" && schema.items.properties)
        return Array.from({ length: rand() < 0.8 ? 1 : 2 }, () => recordFor(schema.items, rand, trueRate));
      return rand() < 0.5 ? [] : ["a", "b"];
    default:
      return `value-${Math.floor(rand() * 1000)}`;
  }
}

/** An object with a value for every property of an object schema; date-like names get ISO timestamps from 2025–2027. */
function recordFor(schema, rand, trueRate) {
  const out = {};
  for (const [name, sub] of Object.entries(schema.properties))
    out[name] = /^not(Before|After)$/.test(name)
      ? new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 3 * 365) * 86_400_000).toISOString()
      : valueFor(sub, rand, trueRate);
  return out;
}

/**
 * `count` resource documents cycling through `types`, spread over accounts and regions; every 20th has one property
 * moved to `missing` (as a collector does on AccessDenied).
 */
export function syntheticResources({
  count,
  types,
  seed = 42,
  trueRate = 0.75,
  accounts = ["123456789012"],
  regions = ["us-east-1", "eu-west-1"],
}) {
  const rand = prng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length];
    const properties = {};
    for (const [name, schema] of Object.entries(RESOURCE_TYPES[type].properties))
      properties[name] = valueFor(schema, rand, trueRate);
    const region = regions[i % regions.length];
    const account = accounts[i % accounts.length];
    const doc = {
      type,
      id: `arn:aws:bench:${region}:${account}:${type}/resource-${i}`,
      name: `resource-${i}`,
      provider: "aws",
      account,
      region,
      source: "fixture",
      collectedAt: "2026-11-22T00:00:00.000Z",
      properties,
    };
    if (i % 20 === 0) {
      const names = Object.keys(properties);
      const gone = names[i % names.length];
      delete properties[gone];
      doc.missing = { [gone]: "AccessDenied (synthetic)" };
    }
    out.push(doc);
  }
  return out;
}
