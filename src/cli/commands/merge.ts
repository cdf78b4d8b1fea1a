import { randomUUID } from "node:crypto";
import { relative, resolve } from "node:path";
import { type DedupedFindings, dedupeFindings, describeConflicts } from "../../core/diff.js";
import type { EvaluationStats } from "../../core/engine/evaluate.js";
import { CipherproofError } from "../../core/errors.js";
import { type Framework, rollUpControls } from "../../core/frameworks/index.js";
import { summarize } from "../../core/summary.js";
import type { ResourceDocument } from "../../core/types.js";
import { type BundleFormat, writeBundle } from "../../evidence/bundle.js";
import { loadScanRecord, refuseDuplicateScans, type ScanRecord } from "../../evidence/load.js";
import { mappingDifferences } from "../../evidence/rebuild.js";
import { readPublicKey } from "../../evidence/signing.js";
import { loadFrameworks } from "../../loaders/frameworks.js";
import type { ReportData, ReportPolicy, ShardInfo } from "../../reporters/model.js";
import type { ScanSource, WaiverReport } from "../../scan.js";
import { list, parse } from "../args.js";
import type { CliIO } from "../io.js";
import {
  BUNDLE_OPTIONS,
  bundleFormats,
  bundleLines,
  checkFormats,
  FORMATS_HELP,
  keyOptions,
} from "./bundle-options.js";

/** Help text for `cipherproof merge`. */
export const MERGE_HELP = `Usage: cipherproof merge BUNDLE… --out DIR [options]

Merges evidence bundles — typically the N bundles of a sharded scan (scan --shard I/N) — into one new signed
bundle with every format. Each input bundle is verified first; one that does not verify is refused (exit 2).
Findings are merged by finding id (a finding present in several bundles is kept once: the most recently evaluated;
when its evaluations were at the same time, the worse status — fail, error, waived, not applicable, pass);
framework controls are rolled up again from the merged findings (with the built-in framework catalogs' control→
policy mapping; a framework that is not built in keeps the mapping its bundles carry); the evidence/ resource
documents are merged when every input has them.

Two inputs with the same scan id are refused (exit 2, naming both). Shard bundles (scan --shard I/N record
scan.shard in findings.json) must form one complete set: every shard 1…N of the same N exactly once, and no
unsharded bundle among them; an incomplete, mixed or duplicated set is refused (exit 2) unless --allow-partial
is given, which merges it anyway, marks the result partial (findings.json scan.partial: true) and warns.
Without --public-key every input is checked only with the public key inside it; a warning says so.

Options:
  --out DIR              output folder (required): a new, empty, or previous-bundle folder
  --public-key FILE|kms:KEY_ID
                         verify the inputs with this public key (or KMS Verify) instead of each bundle's own
                         manifest.pub.pem
  --allow-partial        merge an incomplete, mixed or duplicated set of shards; the result is marked partial
${FORMATS_HELP}

Exit codes: 0 merged; 2 usage or input error (including an input bundle that does not verify).
`;

function unionBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

/**
 * What is wrong with a set of bundles as the shards of one scan, in words: unsharded bundles mixed with shards,
 * different shard counts, a shard given twice, or missing shards. Empty when no input is a shard, or the set is complete.
 */
export function shardProblems(inputs: Array<{ path: string; shard?: ShardInfo }>): string[] {
  const sharded = inputs.filter((i) => i.shard);
  if (!sharded.length) return [];
  const problems: string[] = [];
  const whole = inputs.filter((i) => !i.shard);
  if (whole.length)
    problems.push(
      `mixed: ${whole.map((i) => i.path).join(", ")} ${whole.length === 1 ? "is not a shard" : "are not shards"}, the other bundles are`,
    );
  const counts = [...new Set(sharded.map((i) => i.shard!.count))];
  if (counts.length > 1) {
    problems.push(
      `mixed shard counts: ${sharded.map((i) => `${i.path} is shard ${i.shard!.index}/${i.shard!.count}`).join(", ")}`,
    );
    return problems;
  }
  const n = counts[0];
  const byIndex = new Map<number, string[]>();
  for (const i of sharded) byIndex.set(i.shard!.index, [...(byIndex.get(i.shard!.index) ?? []), i.path]);
  for (const [index, paths] of [...byIndex].sort((a, b) => a[0] - b[0]))
    if (paths.length > 1)
      problems.push(`shard ${index}/${n} is given ${paths.length} times: ${paths.join(", ")}`);
  const missing: string[] = [];
  for (let i = 1; i <= n; i++) if (!byIndex.has(i)) missing.push(`${i}/${n}`);
  if (missing.length)
    problems.push(`incomplete: shard${missing.length === 1 ? "" : "s"} ${missing.join(", ")} missing`);
  return problems;
}

/** How to merge: trusted framework catalogs, and where to say that a bundle's mapping differed from them. */
export interface MergeOptions {
  /** Trusted framework catalogs (the built-in ones): used instead of a bundle's copy of the same framework. */
  catalogs?: Framework[];
  warn?: (message: string) => void;
}

/** What a merge produced: the report data, plus the input findings that were duplicates. */
export interface MergeResult {
  data: ReportData;
  duplicates: number;
  /** Finding ids whose copies had different statuses, and how each was settled. */
  conflicts: DedupedFindings["conflicts"];
}

/**
 * Merge scans into one: findings deduplicated by id (the latest evaluation wins; on a tie the worse status), policies, frameworks, waivers and
 * sources united, controls rolled up again from the merged findings.
 */
export function mergeScans(records: ScanRecord[], options: MergeOptions = {}): MergeResult {
  if (!records.length) throw new CipherproofError("USAGE", "merge: nothing to merge");
  // One finding per id: the most recent evaluation; on equal evaluation times the worse status, whatever the order
  // of the bundles (and the same for an id repeated within one bundle).
  const merged = dedupeFindings(records.flatMap((r) => r.data.findings));
  const duplicates = merged.duplicates;
  const conflicts = merged.conflicts;
  const findings = [...merged.findings].sort(
    (a, b) =>
      a.policyId.localeCompare(b.policyId) ||
      a.resourceId.localeCompare(b.resourceId) ||
      a.id.localeCompare(b.id),
  );
  const policies: ReportPolicy[] = unionBy(
    records.flatMap((r) => r.data.policies),
    (p) => p.id,
  ).sort((a, b) => a.id.localeCompare(b.id));
  const catalogs = new Map((options.catalogs ?? []).map((f) => [f.id, f]));
  const frameworks: Framework[] = unionBy(
    records.flatMap((r) => r.data.frameworks),
    (f) => f.id,
  ).map((fw) => {
    const catalog = catalogs.get(fw.id);
    if (!catalog) return fw;
    const diff = unionBy(
      records.flatMap((r) => {
        const own = r.data.frameworks.find((f) => f.id === fw.id);
        return own ? mappingDifferences(own, catalog) : [];
      }),
      (d) => d,
    );
    if (diff.length)
      options.warn?.(
        `framework ${fw.id}: an input bundle's control→policy mapping differs from the built-in catalog (${diff.slice(0, 5).join("; ")}${diff.length > 5 ? "; …" : ""}); controls were rolled up with the built-in catalog`,
      );
    return catalog;
  });
  const controls = frameworks.flatMap((fw) => rollUpControls(fw, findings));
  const waivers: WaiverReport[] = [];
  for (const w of records.flatMap((r) => r.data.waivers)) {
    const prior = waivers.find((x) => x.policy === w.policy && x.resource === w.resource);
    if (prior) prior.matched += w.matched;
    else waivers.push({ ...w });
  }
  // Each shard collected the same sources before partitioning, so identical source records are kept once.
  const sources: ScanSource[] = unionBy(
    records.flatMap((r) => r.data.sources),
    (s) => JSON.stringify(s),
  );
  // Full resource documents (from evidence/) when every input has them; otherwise the findings files' evidence index.
  const allEvidence = records.every((r) => r.evidence !== undefined);
  const resources: ResourceDocument[] = unionBy(
    records.flatMap((r) => (allEvidence ? r.evidence! : r.data.resources)),
    (d) => `${d.type}\u0000${d.id}`,
  );
  const summary = summarize(findings);
  const typesWithoutPolicies: Record<string, number> = {};
  for (const r of records)
    for (const [t, n] of Object.entries(r.data.stats.typesWithoutPolicies ?? {}))
      typesWithoutPolicies[t] = Math.max(typesWithoutPolicies[t] ?? 0, n);
  const stats: EvaluationStats = {
    ...records[0].data.stats,
    resources: records.reduce((n, r) => n + r.data.stats.resources, 0),
    evaluations: findings.length,
    byStatus: summary.byStatus,
    typesWithoutPolicies,
  };
  const times = records.map((r) => r.data);
  const data: ReportData = {
    scanId: randomUUID(),
    tool: records[0].data.tool,
    startedAt: times.map((d) => d.startedAt).sort()[0],
    finishedAt: times
      .map((d) => d.finishedAt)
      .sort()
      .at(-1)!,
    sources,
    accounts: [...new Set(records.flatMap((r) => r.data.accounts))].sort(),
    regions: [...new Set(records.flatMap((r) => r.data.regions))].sort(),
    policies,
    frameworks,
    controls,
    findings,
    stats,
    summary,
    waivers,
    configFile: records[0].data.configFile,
    resources,
    ...(records.some((r) => r.data.partial) ? { partial: true } : {}),
  };
  return { data, duplicates, conflicts };
}

/** `cipherproof merge BUNDLE… --out DIR`: verify, merge, write one new signed bundle. */
export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...BUNDLE_OPTIONS,
      "public-key": { type: "string" },
      "allow-partial": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "merge",
    true,
  );
  if (values.help) {
    io.stdout(MERGE_HELP);
    return 0;
  }
  if (!positionals.length)
    throw new CipherproofError(
      "USAGE",
      "merge: give the bundles to merge",
      {},
      "cipherproof merge shard-1 shard-2 --out merged",
    );
  if (!values.out || values.out === "-")
    throw new CipherproofError(
      "USAGE",
      "merge: --out DIR is required",
      {},
      "cipherproof merge shard-* --out merged",
    );
  const requested = list(values.format);
  checkFormats(requested);
  const keys = keyOptions(values, io.cwd);
  const pk = values["public-key"];
  const publicKey = pk && !pk.startsWith("kms:") ? readPublicKey(resolve(io.cwd, pk)) : undefined;
  const kmsKeyId = pk?.startsWith("kms:") ? pk.slice(4) : undefined;
  const records: ScanRecord[] = [];
  for (const p of positionals)
    records.push(
      await loadScanRecord(resolve(io.cwd, p), {
        requireBundle: true,
        withEvidence: true,
        publicKey,
        kmsKeyId,
      }),
    );
  refuseDuplicateScans(
    records.map((r, i) => ({ path: positionals[i], scanId: r.data.scanId })),
    "merge",
  );
  const problems = shardProblems(records.map((r, i) => ({ path: positionals[i], shard: r.data.shard })));
  if (problems.length && !values["allow-partial"])
    throw new CipherproofError(
      "USAGE",
      `merge: the bundles are not one complete set of shards — ${problems.join("; ")}`,
      {},
      "give every shard 1…N of one sharded scan exactly once, or --allow-partial to merge anyway (the result is marked partial)",
    );
  for (const w of new Set(records.flatMap((r) => r.warnings))) io.stderr(`warning: ${w}\n`);
  const { data, duplicates, conflicts } = mergeScans(records, {
    catalogs: loadFrameworks([]).frameworks,
    warn: (m) => io.stderr(`warning: ${m}\n`),
  });
  if (problems.length) {
    data.partial = true;
    io.stderr(
      `warning: --allow-partial: merging an incomplete or inconsistent set of shards (${problems.join("; ")}); the result is marked partial\n`,
    );
  }
  const rebuilt = positionals.filter(
    (_, i) => records[i].data.rebuiltFrom ?? records[i].manifest?.rebuiltFrom,
  );
  if (rebuilt.length)
    io.stderr(
      `warning: ${rebuilt.join(", ")} ${rebuilt.length === 1 ? "was" : "were"} rebuilt by \`cipherproof report\` from a findings file, not written by a scan\n`,
    );
  const hasEvidence = records.every((r) => r.evidence !== undefined);
  let formats: BundleFormat[] = bundleFormats(
    requested.length ? requested : ["html", "md", "json", "csv", "sarif", "junit", "evidence"],
  );
  if (!hasEvidence) {
    if (requested.includes("evidence"))
      throw new CipherproofError(
        "USAGE",
        "merge: not every input bundle has evidence/, so it cannot be merged",
      );
    formats = formats.filter((f) => f !== "evidence");
  }
  const dir = resolve(io.cwd, values.out);
  const w = await writeBundle(dir, data, {
    formats,
    ...keys,
    notes: [
      `merged by cipherproof merge from ${records.length} bundles: ${records
        .map((r) => {
          const from = r.data.rebuiltFrom ?? r.manifest?.rebuiltFrom;
          return `scan ${r.data.scanId}${r.data.shard ? ` (shard ${r.data.shard.index}/${r.data.shard.count})` : ""} (manifest signed by key sha256:${r.manifest!.signature.key.publicKeySha256.slice(0, 16)}…, checked with ${r.checkedWith === "bundle-key" ? "the bundle's own key only" : r.checkedWith === "kms" ? "KMS Verify" : "--public-key"}${from ? `; rebuilt from ${from.file} sha256 ${from.sha256}` : ""})`;
        })
        .join(", ")}`,
      ...(problems.length ? [`partial merge (--allow-partial): ${problems.join("; ")}`] : []),
    ],
  });
  const said = describeConflicts(conflicts, "in the input bundles (across bundles or within one)");
  if (said) io.stderr(`warning: ${said}\n`);
  const s = data.summary.byStatus;
  io.stdout(
    `merged ${records.length} bundles${data.partial ? " (partial)" : ""} (${data.findings.length} findings${duplicates ? `, ${duplicates} duplicates dropped` : ""}): ${s.fail} failed, ${s.error} errors, ${s.pass} passed, ${s.waived} waived, ${s.not_applicable} not applicable\n`,
  );
  io.stdout(bundleLines(w, relative(io.cwd, dir) || "."));
  return 0;
}
