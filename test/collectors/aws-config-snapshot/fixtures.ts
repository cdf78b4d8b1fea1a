import { expect } from "vitest";
import {
  mapSnapshotDocument,
  mapSnapshotDocuments,
  type SnapshotCollection,
} from "../../../src/collectors/aws-config-snapshot/index.js";
import { createAjv } from "../../../src/core/ajv.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import { RESOURCE_TYPES } from "../../../src/resources/index.js";

/** The scan clock used by every test: the example's reference day. */
export const NOW = new Date("2026-11-22T10:00:00.000Z");
export const ACCOUNT = "111122223333";
export const FILE = { file: "fixtures/snapshot.json", sha256: "a".repeat(64) };

/** A configuration item as AWS Config delivers it to S3 (format 1). */
export function ci(
  resourceType: string,
  resourceId: string,
  configuration: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    relatedEvents: [],
    relationships: [],
    configuration,
    supplementaryConfiguration: {},
    tags: {},
    configurationItemVersion: "1.3",
    configurationItemCaptureTime: "2026-11-22T05:00:00.000Z",
    configurationStateId: 1763787600000,
    awsAccountId: ACCOUNT,
    configurationItemStatus: "OK",
    resourceType,
    resourceId,
    resourceName: resourceId,
    awsRegion: "us-east-1",
    availabilityZone: "Regional",
    ...extra,
  };
}

/** A snapshot document (format 1) holding the items. */
export function snapshot(...items: unknown[]): Record<string, unknown> {
  return {
    fileVersion: "1.0",
    configSnapshotId: "00000000-0000-4000-8000-000000000000",
    configurationItems: items,
  };
}

/** The same item as `aws configservice batch-get-resource-config` prints it (format 2). */
export function asBaseItem(item: Record<string, unknown>): Record<string, unknown> {
  const supp = (item.supplementaryConfiguration ?? {}) as Record<string, unknown>;
  return {
    version: "1.3",
    accountId: item.awsAccountId,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: String(item.configurationStateId),
    arn: item.ARN,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    configuration: JSON.stringify(item.configuration),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(supp).map(([k, v]) => [k, JSON.stringify(v)]),
    ),
  };
}

/** The same item as a `select-resource-config` result string (format 3), with the selected fields. */
export function asSelectResult(item: Record<string, unknown>, fields?: string[]): string {
  const full: Record<string, unknown> = {
    accountId: item.awsAccountId,
    arn: item.ARN,
    awsRegion: item.awsRegion,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationItemStatus: item.configurationItemStatus,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    resourceType: item.resourceType,
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration,
  };
  const picked = fields ? Object.fromEntries(Object.entries(full).filter(([k]) => fields.includes(k))) : full;
  return JSON.stringify(picked);
}

/** What a document looks like after being written to a file and read back (no `undefined` values). */
export function roundTrip<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

/** Map a format-1 snapshot of the items. */
export function mapItems(...items: unknown[]): SnapshotCollection {
  return mapSnapshotDocument(roundTrip(snapshot(...items)), FILE, { now: NOW });
}

/** Map several snapshot documents as if loaded together. */
export function mapFiles(...docs: Array<{ doc: unknown; file: string }>): SnapshotCollection {
  return mapSnapshotDocuments(
    docs.map(({ doc, file }) => ({ doc: roundTrip(doc), file: { file, sha256: "b".repeat(64) } })),
    { now: NOW },
  );
}

/** The one document of a type in a collection. */
export function only(collection: SnapshotCollection, type: string): ResourceDocument {
  const docs = collection.resources.filter((d) => d.type === type);
  expect(docs, `exactly one ${type}`).toHaveLength(1);
  return docs[0];
}

const ajv = createAjv({ allErrors: true });

/**
 * Assert that every document is well formed: properties validate against the type schema (additionalProperties
 * false), every schema property is either set or missing (never both, never neither), provenance is recorded.
 */
export function expectValidDocuments(docs: readonly ResourceDocument[]): void {
  for (const doc of docs) {
    const schema = RESOURCE_TYPES[doc.type];
    expect(schema, `type ${doc.type} exists`).toBeDefined();
    const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
    const ok = validate(doc.properties);
    expect(ok, `${doc.type} ${doc.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    const missing = doc.missing ?? {};
    for (const prop of Object.keys(schema.properties)) {
      const set = Object.hasOwn(doc.properties, prop);
      const miss = Object.hasOwn(missing, prop);
      expect(set !== miss, `${doc.type} ${doc.id}: ${prop} must be exactly one of set/missing`).toBe(true);
      if (miss) expect(missing[prop].length, `${prop} has a reason`).toBeGreaterThan(10);
    }
    for (const prop of Object.keys(missing)) expect(Object.keys(schema.properties)).toContain(prop);
    expect(doc.provider).toBe("aws");
    expect(doc.source).toBe("aws-config-snapshot");
    expect(Number.isNaN(Date.parse(doc.collectedAt))).toBe(false);
    expect(doc.id.length).toBeGreaterThan(0);
    expect(doc.name.length).toBeGreaterThan(0);
    expect(doc.evidence?.length).toBeGreaterThan(0);
    for (const e of doc.evidence ?? []) {
      expect(e.call).toMatch(/^(config:snapshot|configservice (batch-get|select)-resource-config)$/);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.file).toBeTruthy();
    }
  }
}
