import { appendAll } from "../../core/arrays.js";
import { CipherproofError } from "../../core/errors.js";
import type { ResourceDocument } from "../../core/types.js";
import { accountRegionDocuments } from "./account-region.js";
import { createContext } from "./context.js";
import type { ConfigTypeHandler } from "./handler.js";
import { acmCertificate } from "./map-acm-certificate.js";
import { cloudtrailTrail } from "./map-cloudtrail-trail.js";
import { configRecorder } from "./map-config-recorder.js";
import { ec2Volume } from "./map-ec2-volume.js";
import { elbv2Listener } from "./map-elbv2-listener.js";
import { elbv2LoadBalancer } from "./map-elbv2-load-balancer.js";
import { iamUser } from "./map-iam-user.js";
import { kmsAlias } from "./map-kms-alias.js";
import { kmsKey } from "./map-kms-key.js";
import { logsLogGroup } from "./map-logs-log-group.js";
import { rdsDbCluster } from "./map-rds-db-cluster.js";
import { rdsDbClusterSnapshot } from "./map-rds-db-cluster-snapshot.js";
import { rdsDbInstance } from "./map-rds-db-instance.js";
import { rdsDbSnapshot } from "./map-rds-db-snapshot.js";
import { s3Bucket } from "./map-s3-bucket.js";
import { secretsmanagerSecret } from "./map-secretsmanager-secret.js";
import { type ConfigItem, isSkipped, parseSnapshotDocument, type SnapshotFileInfo } from "./parse.js";
import { readSnapshotFile, type SnapshotInput } from "./read.js";

export { ELB_SECURITY_POLICIES, elbSecurityPolicy } from "./elb-security-policies.js";
export type { ConfigTypeHandler } from "./handler.js";
export type { ConfigItem, ParsedSnapshot, SnapshotFileInfo, SnapshotFormat } from "./parse.js";
export { FORMAT_CALLS, parseSnapshotDocument } from "./parse.js";
export { decodeSnapshotBytes, readSnapshotFile, type SnapshotInput } from "./read.js";

/** What the snapshot collector returns. */
export interface SnapshotCollection {
  resources: ResourceDocument[];
  /** Configuration items of types Cipherproof does not map, counted by AWS Config resource type. */
  unsupportedTypes: Record<string, number>;
  /** Items skipped because their status is ResourceDeleted / ResourceNotRecorded / ResourceDeletedNotRecorded. */
  skipped: number;
  /** Every input file with the SHA-256 of its bytes and its number of configuration items. */
  files: Array<{ file: string; sha256: string; items: number }>;
}

/** Options of the snapshot collector. */
export interface SnapshotOptions {
  /** The scan's clock: ages and days until expiry are computed against it. */
  now: Date;
}

/** Every AWS Config resource type the collector understands, mapped or used as context. */
export const CONFIG_TYPE_HANDLERS: readonly ConfigTypeHandler[] = [
  rdsDbInstance,
  rdsDbCluster,
  rdsDbSnapshot,
  rdsDbClusterSnapshot,
  s3Bucket,
  kmsKey,
  kmsAlias,
  cloudtrailTrail,
  ec2Volume,
  elbv2Listener,
  elbv2LoadBalancer,
  logsLogGroup,
  acmCertificate,
  secretsmanagerSecret,
  iamUser,
  configRecorder,
];

const HANDLERS = new Map(CONFIG_TYPE_HANDLERS.map((h) => [h.configType, h]));

function identity(item: ConfigItem): string {
  return `${item.resourceType}|${item.arn ?? `${item.accountId ?? ""}|${item.awsRegion ?? ""}|${item.resourceId}`}`;
}

// The same resource can appear in several files (overlapping snapshots, history files): the latest capture
// wins, and when the latest says the resource was deleted, no document is made for it.
function latestPerResource(items: ConfigItem[]): ConfigItem[] {
  const chosen = new Map<string, ConfigItem>();
  for (const item of items) {
    const key = identity(item);
    const prev = chosen.get(key);
    if (!prev || (item.captureTime ?? "") >= (prev.captureTime ?? "")) chosen.set(key, item);
  }
  const keep = new Set(chosen.values());
  return items.filter((i) => keep.has(i) && !isSkipped(i));
}

/**
 * Map parsed snapshot documents to resource documents (pure: no file system). Every file is parsed and
 * indexed before any document is built, so a resource's KMS key or load balancer is found in whichever file holds it.
 */
export function mapSnapshotDocuments(
  inputs: readonly SnapshotInput[],
  options: SnapshotOptions,
): SnapshotCollection {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new CipherproofError("USAGE", "the snapshot collector needs a valid `now` date");
  }
  const parsed = inputs.map(({ doc, file }) => parseSnapshotDocument(doc, file));
  const items = latestPerResource(parsed.flatMap((p) => [...p.items, ...p.skippedItems]));
  const ctx = createContext(options.now);
  for (const item of items) HANDLERS.get(item.resourceType)?.index?.(item, ctx);

  const resources: ResourceDocument[] = [];
  const unsupportedTypes: Record<string, number> = {};
  for (const item of items) {
    const handler = HANDLERS.get(item.resourceType);
    if (!handler) unsupportedTypes[item.resourceType] = (unsupportedTypes[item.resourceType] ?? 0) + 1;
    else if (handler.map) resources.push(handler.map(item, ctx));
  }
  appendAll(resources, accountRegionDocuments(items, ctx));
  return {
    resources,
    unsupportedTypes,
    skipped: parsed.reduce((n, p) => n + p.skipped, 0),
    files: parsed.map((p) => ({ file: p.source.file, sha256: p.source.sha256, items: p.total })),
  };
}

/** Map one parsed snapshot document (pure); `fileInfo` names the file in errors and evidence. */
export function mapSnapshotDocument(
  doc: unknown,
  fileInfo: SnapshotFileInfo,
  options: SnapshotOptions,
): SnapshotCollection {
  return mapSnapshotDocuments([{ doc, file: fileInfo }], options);
}

/** Read AWS Config snapshot files (`.json` or gzip) and map every item to Cipherproof resource documents. */
export async function collectSnapshots(
  files: string[],
  options: SnapshotOptions,
): Promise<SnapshotCollection> {
  const inputs: SnapshotInput[] = [];
  for (const file of files) inputs.push(await readSnapshotFile(file));
  return mapSnapshotDocuments(inputs, options);
}
