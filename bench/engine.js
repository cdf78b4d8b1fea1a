// Engine benchmark: 100,000 synthetic resources × the whole built-in pack, evaluated as scan() does it (resource ids
// hashed on a worker thread while this one evaluates).
// Prints evaluations per second (best and median round), wall time, peak RSS, and ratios to peers measured in the
// same run over the same pairs: the same engine with the ids hashed on this thread (alternating rounds), bare ajv
// validation (the lower bound any JSON-Schema-based engine pays), and a "floor" that also builds the findings the
// contract requires (ids hashed on this thread, one object per evaluation) but nothing else.
// Each timed call starts on a collected heap (BENCH_NO_GC=1 times without): a scan evaluates once, on a heap that holds
// no earlier round's findings, while here every round leaves 500,000 of them for the collector to find during the next.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { TOP_LEVEL } from "../dist/core/ajv.js";
import { evaluate } from "../dist/core/engine/evaluate.js";
import { resourceIdPart } from "../dist/core/engine/finding-id.js";
import { controlIndex } from "../dist/core/frameworks/index.js";
import { loadFrameworks } from "../dist/loaders/frameworks.js";
import { loadPolicies } from "../dist/loaders/policies.js";
import { SCAN_DIGESTER } from "../dist/runtime/digest-worker.js";
import { syntheticResources } from "./synthetic.js";

const N = Number(process.env.BENCH_RESOURCES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
// `gc` without a command-line flag, so `node bench/engine.js` (and the Node 24 run through npx) need none.
const collect =
  process.env.BENCH_NO_GC === "1"
    ? undefined
    : (() => {
        setFlagsFromString("--expose-gc");
        return runInNewContext("gc");
      })();

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
      if ((!p.whenFn || p.whenFn(r.properties, TOP_LEVEL)) && p.assertFn(r.properties, TOP_LEVEL)) ok++;
    }
  }
  return { n, ok };
}

// Floor: what any engine with this finding contract pays — the same validations, one SHA-256 per resource for the
// ids, one retained finding object per evaluation — without explanations, messages, missing-evidence checks or
// waivers.
const NONE = Object.freeze([]);
const NO_CONTROLS = Object.freeze({});
function floor() {
  const out = [];
  const at = now.toISOString();
  // Ids hashed in one loop first, as the engine does (the native call costs about twice as much inside the loop).
  const digests = resources.map((r) => (byType.has(r.type) ? resourceIdPart(r.id) : ""));
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const list = byType.get(r.type);
    if (!list) continue;
    const digest = digests[i];
    const summary = { name: r.name, account: r.account, region: r.region, source: r.source };
    for (const p of list) {
      const ok = (!p.whenFn || p.whenFn(r.properties, TOP_LEVEL)) && p.assertFn(r.properties, TOP_LEVEL);
      out.push({
        id: digest + p.idDigest,
        policyId: p.id,
        resourceId: r.id,
        resourceType: r.type,
        status: ok ? "pass" : "fail",
        severity: p.severity,
        category: p.def.category,
        title: p.def.title,
        message: p.passMessage,
        details: NONE,
        controls: NO_CONTROLS,
        resource: summary,
        evaluatedAt: at,
      });
    }
  }
  return out.length;
}

// CPU time the hypervisor gave to other guests (steal), as a share of all CPU time, from /proc/stat (Linux only): a
// shared VM's figures drop when it is high, and the engine's own code has not changed.
function cpuTicks() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] };
  } catch {
    return undefined;
  }
}

const results = [];
let evaluations = 0;
const ticks0 = cpuTicks();
let byStatus;
for (let round = 0; round < ROUNDS; round++) {
  // The engine as scan() runs it (resource ids hashed on a worker thread while this one evaluates), then, as a peer,
  // with the ids hashed on this thread; the two alternate, so both see the same machine.
  collect?.();
  const t0 = performance.now();
  const { stats } = evaluate(resources, policies, { now, waivers, controls, digester: SCAN_DIGESTER });
  const t1 = performance.now();
  collect?.();
  const s0 = performance.now();
  evaluate(resources, policies, { now, waivers, controls });
  const s1 = performance.now();
  collect?.();
  const b0 = performance.now();
  baseline();
  const b1 = performance.now();
  collect?.();
  const f0 = performance.now();
  floor();
  const f1 = performance.now();
  evaluations = stats.evaluations;
  byStatus = stats.byStatus;
  results.push({ engineMs: t1 - t0, singleMs: s1 - s0, baselineMs: b1 - b0, floorMs: f1 - f0 });
}
const ticks1 = cpuTicks();
const best = results.reduce((a, b) => (b.engineMs < a.engineMs ? b : a));
const bestBase = Math.min(...results.map((r) => r.baselineMs));
const bestFloor = Math.min(...results.map((r) => r.floorMs));
const rssMiB = process.resourceUsage().maxRSS / 1024;
const perSec = evaluations / (best.engineMs / 1000);
// The median round as well: with a large young generation a round can end before its scavenge, which then lands in
// the next round, so the best round alone flatters.
const sortedMs = results.map((r) => r.engineMs).sort((a, b) => a - b);
const medianMs = (sortedMs[(sortedMs.length - 1) >> 1] + sortedMs[sortedMs.length >> 1]) / 2;
const medianPerSec = evaluations / (medianMs / 1000);
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return (v[(v.length - 1) >> 1] + v[v.length >> 1]) / 2;
};
const bestSingle = Math.min(...results.map((r) => r.singleMs));
const medianSingle = median(results.map((r) => r.singleMs));

console.log("bench/engine — whole built-in pack over synthetic resources");
console.log(
  `  node ${process.version}, ${policies.length} policies, ${types.length} resource types, ${N} resources`,
);
console.log(
  collect
    ? "  heap collected before each timed call, as a scan's one evaluation starts (BENCH_NO_GC=1: without)"
    : "  heap not collected between timed calls (BENCH_NO_GC=1): each round also pays for the last one's findings",
);
console.log(`  evaluations per run:       ${evaluations} (${JSON.stringify(byStatus)})`);
console.log(
  `  engine, best of ${ROUNDS}:        ${best.engineMs.toFixed(0)} ms  →  ${Math.round(perSec).toLocaleString("en-US")} evaluations/s`,
);
console.log(
  `  engine, median of ${ROUNDS}:      ${medianMs.toFixed(0)} ms  →  ${Math.round(medianPerSec).toLocaleString("en-US")} evaluations/s`,
);
console.log(
  `  ids hashed on this thread: ${bestSingle.toFixed(0)} ms best, ${medianSingle.toFixed(0)} ms median  →  ${Math.round(evaluations / (bestSingle / 1000)).toLocaleString("en-US")} / ${Math.round(evaluations / (medianSingle / 1000)).toLocaleString("en-US")} evaluations/s (peer, alternating rounds)`,
);
console.log(
  `  bare ajv baseline:         ${bestBase.toFixed(0)} ms  →  ${Math.round(evaluations / (bestBase / 1000)).toLocaleString("en-US")} validations/s`,
);
console.log(
  `  floor (ajv + ids + objects): ${bestFloor.toFixed(0)} ms  →  ${Math.round(evaluations / (bestFloor / 1000)).toLocaleString("en-US")} evaluations/s`,
);
console.log(`  engine / bare-ajv time:    ${(best.engineMs / bestBase).toFixed(2)}×`);
console.log(`  engine / floor time:       ${(best.engineMs / bestFloor).toFixed(2)}×`);
console.log(`  peak RSS:                  ${rssMiB.toFixed(0)} MiB`);
if (ticks0 && ticks1 && ticks1.total > ticks0.total)
  console.log(
    `  VM steal while timing:     ${((100 * (ticks1.steal - ticks0.steal)) / (ticks1.total - ticks0.total)).toFixed(1)}% of CPU time (/proc/stat)`,
  );
console.log(
  `  targets: ≥ 1,000,000 evaluations/s ${perSec >= 1_000_000 ? "MET" : "NOT MET"}; RSS ≤ 1024 MiB ${rssMiB <= 1024 ? "MET" : "NOT MET"}`,
);
