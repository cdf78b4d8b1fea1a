import { TOP_LEVEL } from "../ajv.js";
import { type CompiledPolicy, SMALL_INT_LIMIT } from "../policy/compile.js";
import type { ControlRefs, Finding, FindingDetail, ResourceDocument, Status } from "../types.js";
import { explainErrors } from "./details.js";
import { resourceIdPart } from "./finding-id.js";
import { type CompiledWaiver, compileWaivers, matchWaiver, type Waiver } from "./waivers.js";

/**
 * Computes the resource half of finding ids (`resourceIdPart`) for many resources at once, for example on another
 * thread while the engine evaluates. The engine stays the judge of correctness: a batch that fails, or answers with
 * the wrong length, is hashed again by the engine itself.
 */
export interface Digester {
  /** Fewest resources worth handing over; below it the engine hashes the ids itself. */
  minResources: number;
  /** Start on these ids; `wait` blocks until done and returns the 24-character halves concatenated, in order, or
   * undefined when the batch could not be computed. */
  start(ids: readonly string[]): { wait(): string | undefined };
}

/** What the engine needs besides resources and policies. */
export interface EvaluateOptions {
  /** The scan's clock: used for `evaluatedAt` and waiver expiry. */
  now: Date;
  waivers?: Waiver[];
  /** Framework controls per policy id. */
  controls?: ReadonlyMap<string, ControlRefs>;
  /** Hash the resource ids elsewhere (see `Digester`); without it the engine hashes them before evaluating. */
  digester?: Digester;
}

/** Length of the resource half of a finding id (96 bits in hex). */
const RESOURCE_PART_LENGTH = 24;

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
// Shared by every finding without details; frozen so nobody mutates it by accident.
const NO_DETAILS: FindingDetail[] = Object.freeze([]) as unknown as FindingDetail[];

/** The resource summary every finding of one resource shares; built once per resource. */
export function resourceSummary(resource: ResourceDocument): Finding["resource"] {
  return { name: resource.name, account: resource.account, region: resource.region, source: resource.source };
}

/** The policies of one resource type with what each needs per evaluation, index for index. */
export interface TypeGroup {
  policies: CompiledPolicy[];
  /** Framework controls of each policy (saves a lookup per evaluation). */
  controls: ControlRefs[];
  /** Waivers whose policy pattern matches each policy. */
  waivers: CompiledWaiver[][];
}

/** Prepared evaluation context: policies indexed by type, waivers compiled, the clock fixed. */
export interface EvaluationContext {
  /** The policies of each resource type, with their controls and waivers: one lookup per resource. */
  groups: Map<string, TypeGroup>;
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
  const controls = options.controls ?? new Map<string, ControlRefs>();
  const waivers = compileWaivers(options.waivers ?? []);
  const groups = new Map<string, TypeGroup>();
  for (const [type, list] of byType)
    groups.set(type, {
      policies: list,
      controls: list.map((p) => controls.get(p.id) ?? NO_CONTROLS),
      waivers: list.map((p) => waiversFor(waivers, p.id)),
    });
  return {
    groups,
    waivers,
    controls,
    nowMs: options.now.getTime(),
    evaluatedAt: options.now.toISOString(),
  };
}

/** The waivers whose policy pattern matches a policy id. */
function waiversFor(waivers: CompiledWaiver[], policyId: string): CompiledWaiver[] {
  return waivers.filter((w) => w.policyRe.test(policyId));
}

/** Which read paths a resource's `missing` map covers (a missing parent covers its children and vice versa). */
function missingReads(missing: Record<string, string>, paths: Set<string>): FindingDetail[] {
  let out: FindingDetail[] | undefined;
  for (const key of Object.keys(missing)) {
    for (const p of paths) {
      if (p === key || isPathPrefix(key, p) || isPathPrefix(p, key)) {
        (out ??= []).push({ property: key, expected: "collected", found: `missing: ${missing[key]}` });
        break;
      }
    }
  }
  return out ?? NO_DETAILS;
}

/** `a.b` is a path prefix of `a.b.c` (not of `a.bc`); checked without building `a.b.`. */
function isPathPrefix(prefix: string, path: string): boolean {
  return path.length > prefix.length && path.charCodeAt(prefix.length) === 46 && path.startsWith(prefix);
}

const EXPLAIN_CACHE_LIMIT = 4096;
// Stands for an absent property in the explanation memo (a Map cannot tell undefined keys from misses).
const UNDEFINED_KEY = Symbol("absent");

/**
 * Explain a failed assertion; memoized per policy by the primitive values of the properties it reads. The memo is a
 * tree of Maps, one level per property, so a lookup builds no key string: Map keys compare by SameValueZero, which
 * keeps "1" and 1 apart and needs no separator.
 */
function explainFailure(policy: CompiledPolicy, props: Record<string, unknown>): FindingDetail[] {
  const memo = policy.explainCache;
  // One property read: its commonest values skip the Map (a hashed lookup into a large Map is a cache miss or two).
  if (memo && policy.assertTopLevel.length === 1) {
    const v = props[policy.assertTopLevel[0]];
    if (v === false) return (memo.whenFalse ??= explainUncached(policy, props, true));
    if (v === true) return (memo.whenTrue ??= explainUncached(policy, props, true));
    if (typeof v === "number" && v >= 0 && v < SMALL_INT_LIMIT && Number.isInteger(v)) {
      const slots = (memo.bySmallInt ??= new Array<FindingDetail[] | undefined>(SMALL_INT_LIMIT));
      return (slots[v] ??= explainUncached(policy, props, true));
    }
    if (Array.isArray(v)) {
      const key = listKey(v);
      if (key !== undefined) {
        const byList = (memo.byList ??= new Map());
        const hit = byList.get(key);
        if (hit) return hit;
        if (memo.size >= EXPLAIN_CACHE_LIMIT) return explainUncached(policy, props, false);
        const details = explainUncached(policy, props, true);
        byList.set(key, details);
        memo.size++;
        return details;
      }
    }
  }
  let level: Map<unknown, unknown> | undefined;
  let key: unknown;
  if (memo) {
    const names = policy.assertTopLevel;
    level = memo.root;
    for (let i = 0; level && i < names.length; i++) {
      const v = props[names[i]];
      if (v !== null && typeof v === "object") {
        level = undefined; // a structured value: explain directly
        break;
      }
      key = v === undefined ? UNDEFINED_KEY : v;
      if (i === names.length - 1) break;
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) {
        if (memo.size >= EXPLAIN_CACHE_LIMIT) {
          level = undefined;
          break;
        }
        next = new Map();
        level.set(key, next);
        memo.size++; // inner nodes count too, so values that never reach a leaf cannot grow the memo unbounded
      }
      level = next;
    }
    if (level) {
      const hit = level.get(key) as FindingDetail[] | undefined;
      if (hit) return hit;
    }
  }
  const details = explainUncached(policy, props, !!(memo && level && memo.size < EXPLAIN_CACHE_LIMIT));
  if (memo && level && memo.size < EXPLAIN_CACHE_LIMIT) {
    level.set(key, details);
    memo.size++;
  }
  return details;
}

/** Longest list memoized by its JSON text; a longer one is explained directly. */
const LIST_KEY_MAX_ITEMS = 64;

/**
 * The JSON text of a short list of strings, booleans, finite numbers and nulls, which tells every such list apart
 * (undefined for anything else: `[NaN]` and `[null]` would share a text).
 */
function listKey(list: unknown[]): string | undefined {
  if (list.length > LIST_KEY_MAX_ITEMS) return undefined;
  for (const item of list) {
    const t = typeof item;
    if (t !== "string" && t !== "boolean" && item !== null && !(t === "number" && Number.isFinite(item)))
      return undefined;
  }
  return JSON.stringify(list);
}

/** Run the allErrors validator and word its errors; frozen when the result will be shared through the memo. */
function explainUncached(
  policy: CompiledPolicy,
  props: Record<string, unknown>,
  shared: boolean,
): FindingDetail[] {
  const explain = policy.explainFn();
  explain(props);
  const details = explainErrors(explain.errors);
  if (shared) Object.freeze(details);
  return details;
}

/** The names among `names` the resource does not carry (undefined counts as absent), or undefined if none. */
function absentReads(props: Record<string, unknown>, names: string[]): string[] | undefined {
  let absent: string[] | undefined;
  for (const k of names) if (props[k] === undefined) (absent ??= []).push(k);
  return absent;
}

function absentDetails(absent: string[]): FindingDetail[] {
  return absent.map((k) => ({
    property: k,
    expected: "collected",
    found: "absent: the source did not report it",
  }));
}

/** Most combinations of stand-in values tried for absent properties before assuming they could matter. */
const MAX_FILLS = 4096;

/**
 * Could values for the absent properties make the assertion pass (or, given `when` and its stand-ins, bring the
 * resource into scope)? Tries the stand-ins the compiler generated for each; true (unknown) when a property has none
 * or there are too many combinations.
 */
function couldPassWith(
  policy: CompiledPolicy,
  props: Record<string, unknown>,
  absent: string[],
  validate: (doc: Record<string, unknown>, root: typeof TOP_LEVEL) => boolean = policy.assertFn,
  fill: Map<string, unknown[] | undefined> = policy.absentFill,
): boolean {
  const lists: unknown[][] = [];
  let total = 1;
  for (const name of absent) {
    const list = fill.get(name);
    if (!list?.length) return true;
    lists.push(list);
    total *= list.length;
    if (total > MAX_FILLS) return true;
  }
  const doc: Record<string, unknown> = { ...props };
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let j = 0; j < absent.length; j++) {
      doc[absent[j]] = lists[j][rest % lists[j].length];
      rest = Math.floor(rest / lists[j].length);
    }
    if (validate(doc, TOP_LEVEL)) return true;
  }
  return false;
}

/** The top-level property a detail's path starts with (`a.b[0]` → `a`). */
function topLevelOf(path: string): string {
  const end = path.search(/[.[]/);
  return end === -1 ? path : path.slice(0, end);
}

/**
 * Evaluate one policy against one resource of its type. `evaluate` passes the per-resource and per-policy values it
 * has already computed. The defaults contain no closures on purpose: a closure over a parameter there makes every
 * call allocate a context object (measured: 40 of ~400 bytes allocated per evaluation).
 */
export function evaluateOne(
  resource: ResourceDocument,
  policy: CompiledPolicy,
  ctx: EvaluationContext,
  digest: string = resourceIdPart(resource.id),
  summary: Finding["resource"] = resourceSummary(resource),
  controls: ControlRefs = ctx.controls.get(policy.id) ?? NO_CONTROLS,
  waivers: CompiledWaiver[] = waiversFor(ctx.waivers, policy.id),
): Finding {
  const props = resource.properties;
  let status: Status;
  let details: FindingDetail[] = NO_DETAILS;
  let message: string;

  const missing = resource.missing;
  const missingForWhen = missing && policy.when ? missingReads(missing, policy.whenReads.paths) : NO_DETAILS;
  if (missingForWhen.length) {
    status = "error";
    details = missingForWhen;
    message = `Could not evaluate: ${missingForWhen.map((d) => `${d.property} is ${d.found}`).join("; ")}`;
  } else if (policy.whenFn && !policy.whenFn(props, TOP_LEVEL)) {
    // A scope decided by a property the source did not report is unknown, not "out of scope" — unless no value of
    // it could bring the resource into scope.
    const absent = absentReads(props, policy.whenTopLevel);
    if (absent && couldPassWith(policy, props, absent, policy.whenFn, policy.whenFill)) {
      status = "error";
      details = absentDetails(absent);
      message = `Could not evaluate: ${absent.join(", ")} not reported by ${resource.source}, so whether the policy applies is unknown`;
    } else {
      status = "not_applicable";
      message = policy.notApplicableMessage;
    }
  } else {
    const missingForAssert = missing ? missingReads(missing, policy.assertReads.paths) : NO_DETAILS;
    if (missingForAssert.length) {
      status = "error";
      details = missingForAssert;
      message = `Could not evaluate: ${missingForAssert.map((d) => `${d.property} is ${d.found}`).join("; ")}`;
    } else if (policy.assertFn(props, TOP_LEVEL)) {
      // A pass must rest on evidence: every property the assertion reads has to be present.
      // undefined counts as absent: a source that reports nothing for a property has not shown it holds.
      const absent = policy.passImpliesPresent ? undefined : absentReads(props, policy.assertTopLevel);
      if (absent) {
        status = "error";
        details = absentDetails(absent);
        message = `Could not evaluate: ${absent.join(", ")} not reported by ${resource.source}`;
      } else {
        status = "pass";
        message = policy.passMessage;
      }
    } else {
      details = explainFailure(policy, props);
      // A failure that may be due only to a property the source did not report is missing evidence, not a
      // violation. It stands as a fail when a conjunction is violated on a property that is present, or when no
      // value of the absent properties would make the assertion pass.
      const absent = absentReads(props, policy.assertTopLevel);
      if (
        absent &&
        !(policy.assertIsConjunction && details.some((d) => props[topLevelOf(d.property)] !== undefined)) &&
        couldPassWith(policy, props, absent)
      ) {
        status = "error";
        details = absentDetails(absent);
        message = `Could not evaluate: ${absent.join(", ")} not reported by ${resource.source}`;
      } else {
        status = "fail";
        message = policy.failMessage(resource);
      }
    }
  }

  const finding: Finding = {
    id: digest + policy.idDigest,
    policyId: policy.id,
    resourceId: resource.id,
    resourceType: resource.type,
    status,
    severity: policy.severity,
    category: policy.def.category,
    title: policy.def.title,
    message,
    details,
    controls,
    resource: summary,
    evaluatedAt: ctx.evaluatedAt,
  };
  if (status === "fail" && waivers.length) {
    const waiver = matchWaiver(waivers, policy.id, resource.id, resource.name, ctx.nowMs);
    if (waiver) {
      finding.waiver = waiver;
      if (!waiver.expired) finding.status = "waived";
      else finding.message += ` (waiver ${waiver.ticket} expired ${waiver.expires})`;
    }
  }
  return finding;
}

/**
 * Give each finding its id once a digester's batch is in: findings are in resource order, each resource's in its
 * group's policy order. The halves are slices of one string, so the thread that evaluated holds no per-resource hash
 * output. A batch that failed or has the wrong length is hashed here instead.
 */
function fillIds(
  findings: Finding[],
  all: ResourceDocument[],
  groups: Array<TypeGroup | undefined>,
  joined: string | undefined,
  hashed: number,
): void {
  const ok = joined !== undefined && joined.length === hashed * RESOURCE_PART_LENGTH;
  let n = 0;
  let k = 0;
  for (let r = 0; r < all.length; r++) {
    const group = groups[r];
    if (!group) continue;
    const digest = ok
      ? joined.slice(k * RESOURCE_PART_LENGTH, (k + 1) * RESOURCE_PART_LENGTH)
      : resourceIdPart(all[r].id);
    k++;
    const list = group.policies;
    for (let i = 0; i < list.length; i++) findings[n++].id = digest + list[i].idDigest;
  }
}

/** A digester's batch, or undefined (hash here) when it cannot even start. */
function startBatch(digester: Digester, ids: string[]): { wait(): string | undefined } | undefined {
  try {
    return digester.start(ids);
  } catch {
    return undefined;
  }
}

/** A batch's result; a digester that throws counts as one that failed. */
function waitBatch(batch: { wait(): string | undefined }): string | undefined {
  try {
    return batch.wait();
  } catch {
    return undefined;
  }
}

/** Evaluate every resource against every policy of its type. */
export function evaluate(
  resources: Iterable<ResourceDocument>,
  policies: CompiledPolicy[],
  options: EvaluateOptions,
): EvaluationResult {
  const ctx = createContext(policies, options);
  let pass = 0;
  let fail = 0;
  let error = 0;
  let notApplicable = 0;
  let waived = 0;
  const typesWithoutPolicies: Record<string, number> = {};
  const all = Array.isArray(resources) ? (resources as ResourceDocument[]) : [...resources];
  const groups = new Array<TypeGroup | undefined>(all.length);
  let total = 0;
  let hashed = 0;
  for (let i = 0; i < all.length; i++) {
    const group = ctx.groups.get(all[i].type);
    if (!group) continue;
    groups[i] = group;
    hashed++;
    total += group.policies.length;
  }
  // The id half of every resource that has policies. With a digester (and enough resources) it is computed elsewhere
  // while this thread evaluates, and the ids are filled in afterwards; otherwise it is hashed here in one tight loop
  // before any finding is built (measured with bench/engine: the native hash call costs about twice as much when it
  // alternates with the engine's own work).
  const digester = options.digester && hashed >= options.digester.minResources ? options.digester : undefined;
  let batch: { wait(): string | undefined } | undefined;
  const digests = new Array<string | undefined>(all.length);
  if (digester) {
    const ids = new Array<string>(hashed);
    for (let i = 0, k = 0; i < all.length; i++) if (groups[i]) ids[k++] = all[i].id;
    batch = startBatch(digester, ids);
  }
  if (!batch) for (let i = 0; i < all.length; i++) if (groups[i]) digests[i] = resourceIdPart(all[i].id);
  // Sized once: growing a 250,000-element array by push re-allocates and copies it over and over.
  const findings = new Array<Finding>(total);
  let n = 0;
  for (let r = 0; r < all.length; r++) {
    const resource = all[r];
    const group = groups[r];
    if (!group) {
      typesWithoutPolicies[resource.type] = (typesWithoutPolicies[resource.type] ?? 0) + 1;
      continue;
    }
    // Computed once per resource and shared by its findings (no per-resource wrapper object); "" until a digester's
    // batch is in.
    const digest = batch ? "" : (digests[r] as string);
    const summary = resourceSummary(resource);
    const { policies: list, controls, waivers } = group;
    for (let i = 0; i < list.length; i++) {
      const f = evaluateOne(resource, list[i], ctx, digest, summary, controls[i], waivers[i]);
      switch (f.status) {
        case "pass":
          pass++;
          break;
        case "fail":
          fail++;
          break;
        case "error":
          error++;
          break;
        case "not_applicable":
          notApplicable++;
          break;
        default:
          waived++;
      }
      findings[n++] = f;
    }
  }
  if (batch) fillIds(findings, all, groups, waitBatch(batch), hashed);
  return {
    findings,
    stats: {
      resources: all.length,
      evaluations: findings.length,
      byStatus: { pass, fail, error, not_applicable: notApplicable, waived },
      typesWithoutPolicies,
    },
  };
}
