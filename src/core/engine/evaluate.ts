import type { CompiledPolicy } from "../policy/compile.js";
import type { ControlRefs, Finding, FindingDetail, ResourceDocument, Status } from "../types.js";
import { explainErrors } from "./details.js";
import { findingId } from "./finding-id.js";
import { type CompiledWaiver, compileWaivers, matchWaiver, type Waiver } from "./waivers.js";

/** What the engine needs besides resources and policies. */
export interface EvaluateOptions {
  /** The scan's clock: used for `evaluatedAt` and waiver expiry. */
  now: Date;
  waivers?: Waiver[];
  /** Framework controls per policy id. */
  controls?: ReadonlyMap<string, ControlRefs>;
}

/** Counters from one evaluation run. */
export interface EvaluationStats {
  resources: number;
  evaluations: number;
  byStatus: Record<Status, number>;
  /** Resource types for which no loaded policy exists, with counts. */
  typesWithoutPolicies: Record<string, number>;
}

/** Findings plus counters. */
export interface EvaluationResult {
  findings: Finding[];
  stats: EvaluationStats;
}

const NO_CONTROLS: ControlRefs = Object.freeze({}) as ControlRefs;

/** Prepared evaluation context: policies indexed by type, waivers compiled, the clock fixed. */
export interface EvaluationContext {
  byType: Map<string, CompiledPolicy[]>;
  waivers: CompiledWaiver[];
  controls: ReadonlyMap<string, ControlRefs>;
  nowMs: number;
  evaluatedAt: string;
}

/** Build an evaluation context once per scan. */
export function createContext(policies: CompiledPolicy[], options: EvaluateOptions): EvaluationContext {
  const byType = new Map<string, CompiledPolicy[]>();
  for (const p of policies) {
    const list = byType.get(p.def.resourceType);
    if (list) list.push(p);
    else byType.set(p.def.resourceType, [p]);
  }
  return {
    byType,
    waivers: compileWaivers(options.waivers ?? []),
    controls: options.controls ?? new Map(),
    nowMs: options.now.getTime(),
    evaluatedAt: options.now.toISOString(),
  };
}

/** Which read paths a resource's `missing` map covers (a missing parent covers its children and vice versa). */
function missingReads(missing: Record<string, string>, paths: Set<string>): FindingDetail[] {
  const out: FindingDetail[] = [];
  for (const [key, reason] of Object.entries(missing)) {
    for (const p of paths) {
      if (p === key || p.startsWith(`${key}.`) || key.startsWith(`${p}.`)) {
        out.push({ property: key, expected: "collected", found: `missing: ${reason}` });
        break;
      }
    }
  }
  return out;
}

/** Evaluate one policy against one resource of its type. */
export function evaluateOne(resource: ResourceDocument, policy: CompiledPolicy, ctx: EvaluationContext): Finding {
  const props = resource.properties;
  let status: Status;
  let details: FindingDetail[] = [];
  let message: string;

  const missing = resource.missing;
  const missingForWhen = missing && policy.when ? missingReads(missing, policy.whenReads.paths) : [];
  if (missingForWhen.length) {
    status = "error";
    details = missingForWhen;
    message = `Could not evaluate: ${missingForWhen.map((d) => `${d.property} is ${d.found}`).join("; ")}`;
  } else if (policy.whenFn && !policy.whenFn(props)) {
    status = "not_applicable";
    message = `Not applicable: ${resource.name} is outside this policy's scope`;
  } else {
    const missingForAssert = missing ? missingReads(missing, policy.assertReads.paths) : [];
    if (missingForAssert.length) {
      status = "error";
      details = missingForAssert;
      message = `Could not evaluate: ${missingForAssert.map((d) => `${d.property} is ${d.found}`).join("; ")}`;
    } else if (policy.assertFn(props)) {
      // A pass must rest on evidence: every property the assertion reads has to be present.
      const absent = policy.assertTopLevel.filter((k) => !Object.hasOwn(props, k));
      if (absent.length) {
        status = "error";
        details = absent.map((k) => ({ property: k, expected: "collected", found: "absent: the source did not report it" }));
        message = `Could not evaluate: ${absent.join(", ")} not reported by ${resource.source}`;
      } else {
        status = "pass";
        message = `Compliant: ${policy.def.title}`;
      }
    } else {
      const explain = policy.explainFn();
      explain(props);
      details = explainErrors(explain.errors);
      status = "fail";
      message = policy.message.render(resource, policy.params);
    }
  }

  const finding: Finding = {
    id: findingId(policy.id, resource.id),
    policyId: policy.id,
    resourceId: resource.id,
    resourceType: resource.type,
    status,
    severity: policy.severity,
    category: policy.def.category,
    title: policy.def.title,
    message,
    details,
    controls: ctx.controls.get(policy.id) ?? NO_CONTROLS,
    resource: { name: resource.name, account: resource.account, region: resource.region, source: resource.source },
    evaluatedAt: ctx.evaluatedAt,
  };
  if (status === "fail" && ctx.waivers.length) {
    const waiver = matchWaiver(ctx.waivers, policy.id, resource.id, resource.name, ctx.nowMs);
    if (waiver) {
      finding.waiver = waiver;
      if (!waiver.expired) finding.status = "waived";
      else finding.message += ` (waiver ${waiver.ticket} expired ${waiver.expires})`;
    }
  }
  return finding;
}

/** Evaluate every resource against every policy of its type. */
export function evaluate(
  resources: Iterable<ResourceDocument>,
  policies: CompiledPolicy[],
  options: EvaluateOptions,
): EvaluationResult {
  const ctx = createContext(policies, options);
  const findings: Finding[] = [];
  const byStatus: Record<Status, number> = { pass: 0, fail: 0, error: 0, not_applicable: 0, waived: 0 };
  const typesWithoutPolicies: Record<string, number> = {};
  let count = 0;
  for (const resource of resources) {
    count++;
    const list = ctx.byType.get(resource.type);
    if (!list) {
      typesWithoutPolicies[resource.type] = (typesWithoutPolicies[resource.type] ?? 0) + 1;
      continue;
    }
    for (const policy of list) {
      const f = evaluateOne(resource, policy, ctx);
      byStatus[f.status]++;
      findings.push(f);
    }
  }
  return { findings, stats: { resources: count, evaluations: findings.length, byStatus, typesWithoutPolicies } };
}
