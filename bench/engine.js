// Engine benchmark: 100,000 synthetic resources × the whole built-in pack.
// Prints evaluations per second, wall time, peak RSS, and the ratio to a bare-ajv baseline over the same pairs
// (the lower bound any JSON-Schema-based engine pays), measured in the same run.
import { performance } from "node:perf_hooks";
import { evaluate } from "../dist/core/engine/evaluate.js";
import { controlIndex } from "../dist/core/frameworks/index.js";
import { loadFrameworks } from "../dist/loaders/frameworks.js";
import { loadPolicies } from "../dist/loaders/policies.js";
import { syntheticResources } from "./synthetic.js";

const N = Number(process.env.BENCH_RESOURCES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const policies = loadPolicies();
const { frameworks } = loadFrameworks([], true);
const types = [...new Set(policies.map((p) => p.def.resourceType))];
const resources = syntheticResources({ count: N, types });

const controls = controlIndex(frameworks);
const now = new Date("2026-11-22T00:00:00Z");
const waivers = [
  {
    policy: "kms-*",
    resource: "resource-1*",
    reason: "bench",
    owner: "bench",
    ticket: "B-1",
    expires: "2027-01-01",
  },
];

// Baseline: bare ajv validation of the same policy/resource pairs (no findings, no ids, no explanations).
const byType = new Map();
for (const p of policies) byType.set(p.def.resourceType, [...(byType.get(p.def.resourceType) ?? []), p]);
function baseline() {
  let n = 0;
  let ok = 0;
  for (const r of resources) {
    for (const p of byType.get(r.type) ?? []) {
      n++;
      if ((!p.whenFn || p.whenFn(r.properties)) && p.assertFn(r.properties)) ok++;
    }
  }
  return { n, ok };
}

const results = [];
let evaluations = 0;
let byStatus;
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now();
  const { stats } = evaluate(resources, policies, { now, waivers, controls });
  const t1 = performance.now();
  const b0 = performance.now();
  baseline();
  const b1 = performance.now();
  evaluations = stats.evaluations;
  byStatus = stats.byStatus;
  results.push({ engineMs: t1 - t0, baselineMs: b1 - b0 });
}
const best = results.reduce((a, b) => (b.engineMs < a.engineMs ? b : a));
const bestBase = Math.min(...results.map((r) => r.baselineMs));
const rssMiB = process.resourceUsage().maxRSS / 1024;
const perSec = evaluations / (best.engineMs / 1000);

console.log("bench/engine — whole built-in pack over synthetic resources");
console.log(
  `  node ${process.version}, ${policies.length} policies, ${types.length} resource types, ${N} resources`,
);
console.log(`  evaluations per run:       ${evaluations} (${JSON.stringify(byStatus)})`);
console.log(
  `  engine, best of ${ROUNDS}:        ${best.engineMs.toFixed(0)} ms  →  ${Math.round(perSec).toLocaleString("en-US")} evaluations/s`,
);
console.log(
  `  bare ajv baseline:         ${bestBase.toFixed(0)} ms  →  ${Math.round(evaluations / (bestBase / 1000)).toLocaleString("en-US")} validations/s`,
);
console.log(`  engine / bare-ajv time:    ${(best.engineMs / bestBase).toFixed(2)}×`);
console.log(`  peak RSS:                  ${rssMiB.toFixed(0)} MiB`);
console.log(
  `  targets: ≥ 1,000,000 evaluations/s ${perSec >= 1_000_000 ? "MET" : "NOT MET"}; RSS ≤ 1024 MiB ${rssMiB <= 1024 ? "MET" : "NOT MET"}`,
);
