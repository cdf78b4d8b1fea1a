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

const ARN_PARTS = /^arn:[^:]*:[^:]*:([^:]*):([^:]*):/;

/**
 * The AWS Config resource an item describes: type, account, region and resourceId. The resourceId is what every item
 * of a resource carries, whether or not it also records the ARN; account and region come from the ARN when the item
 * leaves them out.
 */
function resourceKey(item: ConfigItem): string {
  const arn = ARN_PARTS.exec(item.arn ?? item.resourceId);
  const region = item.awsRegion ?? arn?.[1] ?? "";
  const account = item.accountId ?? arn?.[2] ?? "";
  return JSON.stringify([item.resourceType, account, region, item.resourceId]);
}

const captured = (item: ConfigItem): string => item.captureTime ?? "";

/**
 * The latest state of every resource (overlapping snapshots and history files repeat resources): per resource, the
 * items with the latest capture time. When the latest says the resource was deleted, it yields nothing — unless another
 * item captured at that same time says it exists: then the existing one is kept, so a resource is never dropped
 * from the scan on a tie. Several items remain for a resource only when they tie; the documents built from them are
 * reconciled by `oneDocumentPerId`. Items keep their input order.
 */
function latestPerResource(items: readonly ConfigItem[]): ConfigItem[] {
  const latest = new Map<string, ConfigItem[]>();
  for (const item of items) {
    const key = resourceKey(item);
    const prev = latest.get(key);
    if (!prev || captured(item) > captured(prev[0])) latest.set(key, [item]);
    else if (captured(item) === captured(prev[0])) prev.push(item);
  }
  const keep = new Set<ConfigItem>();
  for (const group of latest.values()) {
    const live = group.filter((i) => !isSkipped(i));
    for (const i of live) keep.add(i);
  }
  return items.filter((i) => keep.has(i));
}

interface Mapped {
  doc: ResourceDocument;
  item: ConfigItem;
}

const byLocation = (a: Mapped, b: Mapped): number =>
  a.item.source.file < b.item.source.file
    ? -1
    : a.item.source.file > b.item.source.file
      ? 1
      : a.item.loc.pointer < b.item.loc.pointer
        ? -1
        : a.item.loc.pointer > b.item.loc.pointer
          ? 1
          : 0;

const where = (m: Mapped): string =>
  `${m.item.source.name}${m.item.loc.pointer ? ` at ${m.item.loc.pointer}` : ""}`;

/**
 * Documents with the same id describe the same resource (the finding id is a hash of policy and resource id), so
 * exactly one document per id is kept: the one from the latest capture. Items of one resource can map to the same id
 * under different Config resourceIds (a resource deleted and re-created under the same name), or tie in capture time
 * (overlapping snapshot files). A tie is never settled by picking one item's state: the document from the first item
 * (by file and JSON pointer, so the result does not depend on the order files were given) is kept, and every property
 * on which the tied items do not agree — a value against another value, or a value against none — becomes missing,
 * naming the items. Identical duplicates merge silently.
 */
function oneDocumentPerId(mapped: readonly Mapped[]): ResourceDocument[] {
  const groups = new Map<string, Mapped[]>();
  for (const m of mapped) {
    const g = groups.get(m.doc.id);
    if (g) g.push(m);
    else groups.set(m.doc.id, [m]);
  }
  const out: ResourceDocument[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      out.push(group[0].doc);
      continue;
    }
    let latestTime = "";
    for (const m of group) if (captured(m.item) > latestTime) latestTime = captured(m.item);
    const tied = group.filter((m) => captured(m.item) === latestTime).sort(byLocation);
    out.push(tied.length === 1 ? tied[0].doc : reconcile(tied));
  }
  return out;
}

/** One document from documents of the same id captured at the same time; see `oneDocumentPerId`. */
function reconcile(tied: readonly Mapped[]): ResourceDocument {
  const base = tied[0].doc;
  const properties: Record<string, unknown> = { ...base.properties };
  const missing: Record<string, string> = { ...(base.missing ?? {}) };
  const sameType = tied.every((m) => m.doc.type === base.type);
  const names = new Set<string>();
  for (const m of tied) {
    for (const k of Object.keys(m.doc.properties)) names.add(k);
    for (const k of Object.keys(m.doc.missing ?? {})) names.add(k);
  }
  const items =
    tied.length <= 3
      ? tied.map(where).join(", ")
      : `${tied.slice(0, 3).map(where).join(", ")} and ${tied.length - 3} more`;
  let conflicts = 0;
  for (const name of names) {
    const values = tied.map((m) =>
      Object.hasOwn(m.doc.properties, name) ? JSON.stringify(m.doc.properties[name]) : undefined,
    );
    const agree = sameType && values.every((v) => v !== undefined && v === values[0]);
    const allMissing = sameType && values.every((v) => v === undefined);
    if (agree || (allMissing && Object.hasOwn(missing, name))) continue;
    if (!Object.hasOwn(base.properties, name) && !Object.hasOwn(base.missing ?? {}, name)) continue;
    delete properties[name];
    missing[name] = sameType
      ? `configuration items captured at the same time disagree on it (${items}); which is current is unknown`
      : `configuration items of different types captured at the same time claim this resource id (${items})`;
    conflicts++;
  }
  if (conflicts === 0) return base;
  const evidence = [
    ...new Map(
      tied.flatMap((m) => m.doc.evidence ?? []).map((e) => [`${e.call}|${e.file}|${e.sha256}`, e]),
    ).values(),
  ];
  return { ...base, properties, missing, evidence };
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

  const mapped: Mapped[] = [];
  // Keyed by strings from the input ("constructor", "__proto__"), so a Map, not an object.
  const unsupported = new Map<string, Set<string>>();
  for (const item of items) {
    const handler = HANDLERS.get(item.resourceType);
    if (!handler) {
      const seen = unsupported.get(item.resourceType) ?? new Set<string>();
      seen.add(resourceKey(item));
      unsupported.set(item.resourceType, seen);
    } else if (handler.map) mapped.push({ doc: handler.map(item, ctx), item });
  }
  const resources = oneDocumentPerId(mapped);
  appendAll(resources, accountRegionDocuments(items, ctx));
  return {
    resources,
    unsupportedTypes: countsObject(unsupported),
    skipped: parsed.reduce((n, p) => n + p.skipped, 0),
    files: parsed.map((p) => ({ file: p.source.file, sha256: p.source.sha256, items: p.total })),
  };
}

/**
 * A plain object of counts whose own keys are exactly the map's keys, "__proto__" and "constructor" included
 * (Object.fromEntries defines properties; it never assigns through the prototype).
 */
function countsObject(map: ReadonlyMap<string, ReadonlySet<string>>): Record<string, number> {
  return Object.fromEntries([...map].map(([type, resources]) => [type, resources.size]));
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
