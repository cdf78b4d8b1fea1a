import { randomUUID } from "node:crypto";
import { relative, resolve } from "node:path";
import type { EvaluationStats } from "../../core/engine/evaluate.js";
import { CipherproofError } from "../../core/errors.js";
import { type Framework, rollUpControls } from "../../core/frameworks/index.js";
import { summarize } from "../../core/summary.js";
import type { Finding, ResourceDocument } from "../../core/types.js";
import { type BundleFormat, writeBundle } from "../../evidence/bundle.js";
import { loadScanRecord, type ScanRecord } from "../../evidence/load.js";
import { readPublicKey } from "../../evidence/signing.js";
import type { ReportData, ReportPolicy } from "../../reporters/model.js";
import type { ScanSource, WaiverReport } from "../../scan.js";
import { list, parse } from "../args.js";
import type { CliIO } from "../io.js";
import { bundleFormats, bundleLines, checkFormats, FORMATS_HELP, keyOptions } from "./bundle-options.js";

/** Help text for `cipherproof merge`. */
export const MERGE_HELP = `Usage: cipherproof merge BUNDLE… --out DIR [options]

Merges evidence bundles — typically the N bundles of a sharded scan (scan --shard I/N) — into one new signed
bundle with every format. Each input bundle is verified first; one that does not verify is refused (exit 2).
Findings are merged by finding id (a finding present in several bundles is kept once: the most recently evaluated);
framework controls are rolled up again from the merged findings; the evidence/ resource documents are merged
when every input has them.

Options:
  --out DIR              output folder (required): a new, empty, or previous-bundle folder
  --public-key FILE|kms:KEY_ID
                         verify the inputs with this public key (or KMS Verify) instead of each bundle's own
                         manifest.pub.pem
${FORMATS_HELP}

Exit codes: 0 merged; 2 usage or input error (including an input bundle that does not verify).
`;

function unionBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

/** What a merge produced: the report data, plus the input findings that were duplicates. */
export interface MergeResult {
  data: ReportData;
  duplicates: number;
  conflicts: string[];
}

/**
 * Merge scans into one: findings deduplicated by id (the latest evaluation wins), policies, frameworks, waivers and
 * sources united, controls rolled up again from the merged findings.
 */
export function mergeScans(records: ScanRecord[]): MergeResult {
  if (!records.length) throw new CipherproofError("USAGE", "merge: nothing to merge");
  const byId = new Map<string, Finding>();
  let duplicates = 0;
  const conflicts: string[] = [];
  for (const r of records) {
    for (const f of r.data.findings) {
      const prior = byId.get(f.id);
      if (!prior) {
        byId.set(f.id, f);
        continue;
      }
      duplicates++;
      if (prior.status !== f.status) conflicts.push(f.id);
      if (f.evaluatedAt > prior.evaluatedAt) byId.set(f.id, f);
    }
  }
  const findings = [...byId.values()].sort(
    (a, b) => a.policyId.localeCompare(b.policyId) || a.resourceId.localeCompare(b.resourceId),
  );
  const policies: ReportPolicy[] = unionBy(
    records.flatMap((r) => r.data.policies),
    (p) => p.id,
  ).sort((a, b) => a.id.localeCompare(b.id));
  const frameworks: Framework[] = unionBy(
    records.flatMap((r) => r.data.frameworks),
    (f) => f.id,
  );
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
  };
  return { data, duplicates, conflicts };
}

/** `cipherproof merge BUNDLE… --out DIR`: verify, merge, write one new signed bundle. */
export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: "string" },
      format: { type: "string", multiple: true },
      "signing-key": { type: "string" },
      "encrypt-with": { type: "string" },
      "public-key": { type: "string" },
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
  const { data, duplicates, conflicts } = mergeScans(records);
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
        .map(
          (r) =>
            `scan ${r.data.scanId} (manifest signed by key sha256:${r.manifest!.signature.key.publicKeySha256.slice(0, 16)}…)`,
        )
        .join(", ")}`,
    ],
  });
  if (conflicts.length)
    io.stderr(
      `warning: ${conflicts.length} finding id${conflicts.length === 1 ? "" : "s"} had different statuses in different bundles; the most recent evaluation was kept (${conflicts.slice(0, 3).join(", ")}${conflicts.length > 3 ? ", …" : ""})\n`,
    );
  const s = data.summary.byStatus;
  io.stdout(
    `merged ${records.length} bundles (${data.findings.length} findings${duplicates ? `, ${duplicates} duplicates dropped` : ""}): ${s.fail} failed, ${s.error} errors, ${s.pass} passed, ${s.waived} waived, ${s.not_applicable} not applicable\n`,
  );
  io.stdout(bundleLines(w, relative(io.cwd, dir) || "."));
  return 0;
}
