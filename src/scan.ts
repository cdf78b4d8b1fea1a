import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import { appendAll } from "./core/arrays.js";
import type { CipherproofConfig } from "./core/config/parse.js";
import { type EvaluationStats, evaluate } from "./core/engine/evaluate.js";
import { sha256Hex } from "./core/engine/finding-id.js";
import { globToRegExp, type Waiver, waiverEnd } from "./core/engine/waivers.js";
import { CipherproofError } from "./core/errors.js";
import {
  type ControlResult,
  checkFrameworkReferences,
  controlIndex,
  type Framework,
  rollUpControls,
} from "./core/frameworks/index.js";
import type { CompiledPolicy } from "./core/policy/compile.js";
import { suggest } from "./core/policy/lint.js";
import { type FindingSummary, summarize } from "./core/summary.js";
import type { Finding, ResourceDocument, Severity } from "./core/types.js";
import { loadConfig } from "./loaders/config.js";
import { loadFrameworks } from "./loaders/frameworks.js";
import { BUILTIN_POLICY_DIR, loadPolicies, policyFiles } from "./loaders/policies.js";
import { loadProfiles, profilePolicyIds } from "./loaders/profiles.js";
import { SCAN_DIGESTER } from "./runtime/digest-worker.js";

/** Version of the tool, reported in outputs. */
export const TOOL_VERSION = "0.1.0";

/** What to scan and how. */
export interface ScanOptions {
  /** AWS Config snapshot files (.json / .json.gz). */
  snapshots?: string[];
  /** Resource documents handed in directly (library use, tests). */
  resources?: ResourceDocument[];
  /** Live endpoints: targets (https://host[:port], host:port, postgres://..., smtp://..., http://...) or endpoints files. */
  endpoints?: string[];
  /** How to scan endpoints: CA file, timeouts, connection limits. */
  endpointOptions?: import("./collectors/endpoints/index.js").EndpointScanOptions;
  /** Live AWS collection (`scan --aws`): accounts, regions, credentials, concurrency. */
  aws?: import("./collectors/aws/index.js").AwsCollectOptions;
  /** AWS Config aggregator collection (`scan --config-aggregator NAME`), with the credentials and region to call it. */
  awsConfigAggregator?: import("./collectors/aws-config-aggregator/index.js").AggregatorOptions;
  /** Versioned policy profiles from policies/profiles/ (e.g. mozilla-intermediate) added to the loaded policies. */
  profiles?: string[];
  /** Extra policy folders. */
  policyDirs?: string[];
  /** Include the built-in pack (default true). */
  builtin?: boolean;
  /** Config file path. */
  configFile?: string;
  /** The scan clock (default: now). */
  now?: Date;
  /** Evaluate only shard `index` (1-based) of `count`: resources partitioned by a hash of their id, after collection. */
  shard?: { index: number; count: number };
}

/** True when a resource id falls in shard `index` (1-based) of `count`: a deterministic partition by SHA-256 of the id. */
export function inShard(resourceId: string, shard: { index: number; count: number }): boolean {
  return Number.parseInt(sha256Hex(resourceId).slice(0, 12), 16) % shard.count === shard.index - 1;
}

/** Parse a shard as `I/N` (1 ≤ I ≤ N), e.g. from `--shard 2/4`. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new CipherproofError(
      "USAGE",
      `--shard must be I/N with 1 ≤ I ≤ N, not "${value}"`,
      {},
      "--shard 2/4",
    );
  return { index, count };
}

/** One input the scan read resources from. */
export interface ScanSource {
  kind: string;
  resources: number;
  files?: Array<{ file: string; sha256: string; items: number }>;
  unsupportedTypes?: Record<string, number>;
  skipped?: number;
  /** Live AWS and aggregator collection: accounts, regions, API calls and what could not be collected. */
  aws?: {
    accounts: string[];
    regions: string[];
    apiCalls: number;
    failedCalls: number;
    collectionErrors: number;
    unreachable: Array<{ account: string; reason: string }>;
  };
  /** Endpoint scans: per-target time, handshakes and connections. */
  targets?: Array<{
    target: string;
    durationMs: number;
    handshakes: number;
    connections: number;
    error?: string;
  }>;
}

/** A waiver as reported: active, expired, or never matched. */
export interface WaiverReport extends Waiver {
  state: "active" | "expired";
  matched: number;
}

/** Everything a scan produced; reporters are pure functions of this. */
export interface ScanResult {
  scanId: string;
  tool: { name: "cipherproof"; version: string };
  startedAt: string;
  finishedAt: string;
  sources: ScanSource[];
  accounts: string[];
  regions: string[];
  policies: CompiledPolicy[];
  frameworks: Framework[];
  controls: ControlResult[];
  findings: Finding[];
  stats: EvaluationStats;
  summary: FindingSummary;
  waivers: WaiverReport[];
  config: CipherproofConfig;
  configFile?: string;
  resources: ResourceDocument[];
  /** The shard this scan evaluated (`--shard I/N`); absent for a whole scan. */
  shard?: { index: number; count: number };
}

/** Load config, policies and frameworks as a scan would (also used by `policies` commands). */
export function loadPolicySet(
  options: Pick<ScanOptions, "policyDirs" | "builtin" | "configFile" | "profiles">,
): {
  config: CipherproofConfig;
  configFile?: string;
  policies: CompiledPolicy[];
  frameworks: Framework[];
} {
  const loaded = options.configFile ? loadConfig(options.configFile) : undefined;
  const config = loaded?.config ?? {};
  const dirs = [...(config.policies?.paths ?? []), ...(options.policyDirs ?? [])];
  const builtin = options.builtin ?? config.policies?.builtin ?? true;
  const knownIds = new Set<string>();
  const policies = loadPolicies({
    knownIds,
    dirs,
    builtin,
    enable: config.policies?.enable,
    disable: config.policies?.disable,
    severity: config.policies?.severity,
    parameters: config.policies?.parameters,
    configFile: loaded?.file,
  });
  if (options.profiles?.length) {
    policies.push(...loadProfiles(options.profiles, new Set(policies.map((p) => p.id))));
  }
  const { frameworks: all, files } = loadFrameworks(dirs, builtin);
  // Framework references are checked against every valid policy found, including ones the config leaves out.
  const allIds = new Set([...knownIds, ...policies.map((p) => p.id)]);
  checkFrameworkReferences(all, allIds, files);
  checkWaiverPolicies(config, allIds, loaded?.file);
  let frameworks = all;
  if (config.frameworks) {
    const known = new Set(all.map((f) => f.id));
    config.frameworks.forEach((id, i) => {
      if (!known.has(id)) {
        throw new CipherproofError(
          "CONFIG_INVALID",
          `unknown framework "${id}"`,
          { file: loaded?.file, pointer: `/frameworks/${i}` },
          `known frameworks: ${[...known].join(", ")}`,
        );
      }
    });
    frameworks = all.filter((f) => config.frameworks!.includes(f.id));
  }
  return { config, configFile: loaded?.file, policies, frameworks };
}

/**
 * A waiver whose policy pattern matches no policy Cipherproof knows is a typo that would leave its failure unwaived.
 * Known means loaded in this run, in the built-in pack or in a built-in profile: one config can serve runs that
 * leave the pack out (`--no-builtin`) or add a profile only sometimes.
 */
function checkWaiverPolicies(
  config: CipherproofConfig,
  loadedIds: Set<string>,
  file: string | undefined,
): void {
  let known: string[] | undefined;
  (config.waivers ?? []).forEach((w, i) => {
    const re = globToRegExp(w.policy);
    if ([...loadedIds].some((id) => re.test(id))) return;
    known ??= [
      ...new Set([
        ...loadedIds,
        ...policyFiles(BUILTIN_POLICY_DIR).map((f) => basename(f, ".json")),
        ...profilePolicyIds(),
      ]),
    ];
    if (known.some((id) => re.test(id))) return;
    const hint = suggest(w.policy, known);
    throw new CipherproofError(
      "CONFIG_INVALID",
      `waiver policy "${w.policy}" matches no policy (loaded, built-in or in a profile)`,
      { file, pointer: `/waivers/${i}/policy` },
      hint
        ? `did you mean "${hint}"?`
        : "`cipherproof policies list` shows the loaded ids; a waiver names a policy id or a glob such as kms-*",
    );
  });
}

/** Collect resources from every requested source. */
async function collect(
  options: ScanOptions,
  now: Date,
): Promise<{ resources: ResourceDocument[]; sources: ScanSource[] }> {
  const resources: ResourceDocument[] = [];
  const sources: ScanSource[] = [];
  if (options.snapshots?.length) {
    const { collectSnapshots } = await import("./collectors/aws-config-snapshot/index.js");
    const got = await collectSnapshots(options.snapshots, { now });
    appendAll(resources, got.resources);
    sources.push({
      kind: "aws-config-snapshot",
      resources: got.resources.length,
      files: got.files,
      unsupportedTypes: got.unsupportedTypes,
      skipped: got.skipped,
    });
  }
  if (options.endpoints?.length) {
    const { collectEndpoints, resolveTargets } = await import("./collectors/endpoints/index.js");
    const got = await collectEndpoints(resolveTargets(options.endpoints), {
      now,
      ...options.endpointOptions,
    });
    appendAll(resources, got.resources);
    sources.push({ kind: "endpoints", resources: got.resources.length, targets: got.stats });
  }
  if (options.aws) {
    const { collectAws } = await import("./collectors/aws/index.js");
    const got = await collectAws({ ...options.aws, now: options.aws.now ?? now });
    appendAll(resources, got.resources);
    const { accounts, regions, apiCalls, failedCalls, collectionErrors, unreachable } = got;
    sources.push({
      kind: "aws-api",
      resources: got.resources.length,
      aws: { accounts, regions, apiCalls, failedCalls, collectionErrors, unreachable },
    });
  }
  if (options.awsConfigAggregator) {
    const { collectAggregator } = await import("./collectors/aws-config-aggregator/index.js");
    const got = await collectAggregator({
      ...options.awsConfigAggregator,
      now: options.awsConfigAggregator.now ?? now,
    });
    appendAll(resources, got.resources);
    sources.push({
      kind: "aws-config-aggregator",
      resources: got.resources.length,
      unsupportedTypes: got.unsupportedTypes,
      aws: {
        accounts: got.accounts,
        regions: got.regions,
        apiCalls: got.apiCalls,
        failedCalls: got.failedCalls,
        collectionErrors: got.collectionErrors,
        unreachable: [],
      },
    });
  }
  if (options.resources?.length) {
    appendAll(resources, options.resources);
    sources.push({ kind: "resource-documents", resources: options.resources.length });
  }
  return { resources, sources };
}

/** Run a whole scan: load, collect, evaluate, roll up. Never prints; throws CipherproofError on bad input. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const startedAt = new Date();
  const now = options.now ?? startedAt;
  const { config, configFile, policies, frameworks } = loadPolicySet(options);
  const collected = await collect(options, now);
  const { sources } = collected;
  const shard = options.shard;
  const resources = shard ? collected.resources.filter((r) => inShard(r.id, shard)) : collected.resources;
  if (sources.length === 0) {
    throw new CipherproofError(
      "USAGE",
      "nothing to scan",
      {},
      "give a source: --aws (live AWS), --config-aggregator NAME, --snapshot FILE (AWS Config snapshot) or --endpoints TARGET|FILE",
    );
  }
  const waivers = config.waivers ?? [];
  const { findings, stats } = evaluate(resources, policies, {
    now,
    waivers,
    controls: controlIndex(frameworks),
    digester: SCAN_DIGESTER,
  });
  if (stats.evaluations === 0 && !options.shard) {
    // No evaluation is no evidence: a gate must not report PASS for it (a shard may legitimately be empty).
    const types = Object.keys(stats.typesWithoutPolicies);
    throw new CipherproofError(
      "NOTHING_EVALUATED",
      `nothing was evaluated: ${stats.resources} resources collected, ${policies.length} policies loaded, none of them apply to each other`,
      {},
      stats.resources === 0
        ? "the sources produced no resources Cipherproof assesses; check the inputs"
        : `loaded policies cover none of the collected types (${types.slice(0, 5).join(", ")}${types.length > 5 ? ", …" : ""}); check policies.enable/disable and --policies`,
    );
  }
  const controls = frameworks.flatMap((fw) => rollUpControls(fw, findings));
  const matched = new Map<string, number>();
  for (const f of findings) {
    if (f.waiver) {
      const key = `${f.waiver.policy}\u0000${f.waiver.resource}`;
      matched.set(key, (matched.get(key) ?? 0) + 1);
    }
  }
  return {
    scanId: randomUUID(),
    tool: { name: "cipherproof", version: TOOL_VERSION },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    sources,
    accounts: [...new Set(resources.map((r) => r.account).filter((a): a is string => !!a))].sort(),
    regions: [...new Set(resources.map((r) => r.region).filter((a): a is string => !!a))].sort(),
    policies,
    frameworks,
    controls,
    findings,
    stats,
    summary: summarize(findings),
    waivers: waivers.map((w) => ({
      ...w,
      state: now.getTime() > waiverEnd(w.expires) ? "expired" : "active",
      matched: matched.get(`${w.policy}\u0000${w.resource}`) ?? 0,
    })),
    config,
    configFile,
    resources,
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
  };
}

/** Effective fail-on severity and error handling, from flags then config then defaults. */
export function gate(
  config: CipherproofConfig,
  flags: { failOn?: Severity; allowErrors?: boolean },
): { failOn: Severity; allowErrors: boolean } {
  return {
    failOn: flags.failOn ?? config.failOn ?? "info",
    allowErrors: flags.allowErrors ?? config.allowErrors ?? false,
  };
}
