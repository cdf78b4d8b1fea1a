// Five signed evidence bundles of the example estate (MedLedger, examples/healthcare-saas), one a week, with changes
// between runs whose effect on controls and findings is known exactly. Shared by the period and diff tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { collectSnapshots } from "../../src/collectors/aws-config-snapshot/index.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { writeBundle } from "../../src/evidence/bundle.js";
import { scan } from "../../src/scan.js";
import { ROOT, tempDir } from "../support/cli.js";

/** When each of the five scans evaluated (a week apart). */
export const SCAN_TIMES = [
  "2026-01-05T09:00:00.000Z",
  "2026-01-12T09:00:00.000Z",
  "2026-01-19T09:00:00.000Z",
  "2026-01-26T09:00:00.000Z",
  "2026-02-02T09:00:00.000Z",
];

/** The extra framework the series is scanned with: each control maps exactly one policy. */
export const SERIES_FRAMEWORK = {
  id: "series",
  title: "Series test framework",
  version: "1",
  controls: [
    {
      id: "S-1",
      title: "RDS storage encrypted",
      summary: "Every RDS DB instance encrypts its storage.",
      policies: ["rds-instance-storage-encrypted"],
    },
    {
      id: "S-2",
      title: "RDS snapshots encrypted",
      summary: "Every RDS snapshot is encrypted.",
      policies: ["rds-snapshot-encrypted"],
    },
    {
      id: "S-3",
      title: "EBS volumes encrypted",
      summary: "Every EBS volume is encrypted.",
      policies: ["ec2-volume-encrypted"],
    },
  ],
};

const byName = (docs: ResourceDocument[], type: string, name: string) => {
  const d = docs.find((r) => r.type === type && r.name === name);
  if (!d) throw new Error(`fixture: no ${type} named ${name}`);
  return d;
};

/**
 * What changes between scans:
 * - RDS `medledger-legacy-reports` (unencrypted in the example): fixed in scan 2, unencrypted again in scan 5.
 * - RDS `medledger-patients-db` (encrypted): unencrypted in scan 3 only.
 * - snapshot `medledger-legacy-reports-pre-migration` (unencrypted): its evidence is missing in scan 3 (error),
 *   encrypted from scan 4 on.
 * - EBS `vol-0c3d4e5f607182930` (unencrypted, detached): deleted before scan 4 (absent from then on).
 */
function mutate(base: ResourceDocument[], scanNo: number): ResourceDocument[] {
  const docs: ResourceDocument[] = structuredClone(base);
  const legacy = byName(docs, "aws.rds.db_instance", "medledger-legacy-reports");
  legacy.properties.storageEncrypted = scanNo >= 2 && scanNo <= 4;
  if (scanNo === 3)
    byName(docs, "aws.rds.db_instance", "medledger-patients-db").properties.storageEncrypted = false;
  const snap = byName(docs, "aws.rds.db_snapshot", "medledger-legacy-reports-pre-migration");
  if (scanNo === 3) {
    delete snap.properties.encrypted;
    snap.missing = {
      ...(snap.missing ?? {}),
      encrypted: "AccessDenied on rds:DescribeDBSnapshots (fixture)",
    };
  }
  if (scanNo >= 4) snap.properties.encrypted = true;
  if (scanNo >= 4)
    return docs.filter((d) => !(d.type === "aws.ec2.volume" && d.name === "vol-0c3d4e5f607182930"));
  return docs;
}

/** The five bundles, their folder paths in scan order. */
export interface Series {
  root: string;
  bundles: string[];
  frameworkDir: string;
}

/** Scan the example five times with the changes above and write one signed bundle per scan (bundle-1 … bundle-5). */
export async function makeSeries(): Promise<Series> {
  const root = tempDir("cipherproof-series-");
  const frameworkDir = join(root, "extra-policies");
  mkdirSync(join(frameworkDir, "frameworks"), { recursive: true });
  writeFileSync(join(frameworkDir, "frameworks", "series.json"), JSON.stringify(SERIES_FRAMEWORK, null, 2));
  const example = join(ROOT, "examples", "healthcare-saas");
  const base = (
    await collectSnapshots(
      [
        join(example, "config-snapshot-us-east-1.json.gz"),
        join(example, "config-snapshot-us-west-2.json.gz"),
      ],
      { now: new Date(SCAN_TIMES[0]) },
    )
  ).resources;
  const bundles: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const now = new Date(SCAN_TIMES[i - 1]);
    const result = await scan({ resources: mutate(base, i), now, policyDirs: [frameworkDir] });
    const dir = join(root, `bundle-${i}`);
    await writeBundle(dir, result, { now, formats: ["json", "md", "evidence"] });
    bundles.push(dir);
  }
  return { root, bundles, frameworkDir };
}
