import { basename } from "node:path";
import {
  decodeJsonString,
  insideString,
  invalid,
  isObject,
  type Loc,
  Node,
  show,
  toIsoDate,
} from "./node.js";

/** The three input shapes the collector understands. */
export type SnapshotFormat = "config-snapshot" | "batch-get-resource-config" | "select-resource-config";

/** The evidence `call` recorded for documents built from each input shape. */
export const FORMAT_CALLS: Readonly<Record<SnapshotFormat, string>> = {
  "config-snapshot": "config:snapshot",
  "batch-get-resource-config": "configservice batch-get-resource-config",
  "select-resource-config": "configservice select-resource-config",
};

/** Identity of one input file: the path as given (used in errors) and the SHA-256 of its bytes. */
export interface SnapshotFileInfo {
  file: string;
  sha256: string;
}

/** The file a configuration item came from, with the evidence call for its format. */
export interface ItemSource extends SnapshotFileInfo {
  /** Base name of the file, recorded in evidence. */
  name: string;
  call: string;
  format: SnapshotFormat;
}

/** Configuration item statuses whose items describe no current resource. */
const SKIPPED_STATUSES = new Set(["ResourceDeleted", "ResourceNotRecorded", "ResourceDeletedNotRecorded"]);

/** True for an item that describes no current resource (deleted, or no longer recorded). */
export function isSkipped(item: { status?: string }): boolean {
  return item.status !== undefined && SKIPPED_STATUSES.has(item.status);
}

/** One configuration item, normalized across the three input shapes. */
export interface ConfigItem {
  source: ItemSource;
  loc: Loc;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  accountId?: string;
  awsRegion?: string;
  availabilityZone?: string;
  /** Capture time as an ISO string. */
  captureTime?: string;
  status?: string;
  /** The decoded `configuration` object; null when the item has none. */
  configuration: Node | null;
  /** Where `configuration` is (or would be). */
  configurationLoc: Loc;
  /** The `supplementaryConfiguration` map (values may still be JSON-encoded strings); empty when absent. */
  supplementary: Node;
  /** True for select-resource-config results, which carry only the selected fields. */
  partial: boolean;
}

/** A parsed input file: its shape, the items that describe current resources, and counters. */
export interface ParsedSnapshot {
  format: SnapshotFormat;
  source: ItemSource;
  items: ConfigItem[];
  /** Items whose status is ResourceDeleted / ResourceNotRecorded / ResourceDeletedNotRecorded: no current resource. */
  skippedItems: ConfigItem[];
  /** How many items were skipped. */
  skipped: number;
  /** Every configuration item in the file, skipped ones included. */
  total: number;
}

function requiredString(node: Node, keys: string | string[], label: string): string {
  const v = node.str(keys);
  if (v === undefined || v === null || v === "") {
    throw invalid(
      node.at(keys),
      `the configuration item has no ${label}`,
      "every configuration item needs resourceType and resourceId",
    );
  }
  return v;
}

function optionalString(node: Node, keys: string | string[]): string | undefined {
  const v = node.str(keys);
  return v === null || v === "" ? undefined : v;
}

function readItem(raw: unknown, loc: Loc, source: ItemSource, partial: boolean): ConfigItem {
  if (!isObject(raw)) throw invalid(loc, `is ${show(raw)}; a configuration item must be an object`);
  const node = new Node(raw, loc);
  const resourceType = requiredString(node, "resourceType", "resourceType");
  const resourceId = requiredString(node, "resourceId", "resourceId");
  let captureTime: string | undefined;
  const rawTime = node.raw("configurationItemCaptureTime");
  if (rawTime !== undefined && rawTime !== null) {
    captureTime = toIsoDate(rawTime) ?? undefined;
    if (!captureTime)
      throw invalid(node.at("configurationItemCaptureTime"), `is ${show(rawTime)}; must be a date`);
  }

  const configurationLoc = node.at("configuration");
  let configuration: Node | null = null;
  const rawConfig = node.raw("configuration");
  if (typeof rawConfig === "string") {
    const decoded = decodeJsonString(rawConfig, configurationLoc, "configuration");
    if (decoded !== null) {
      if (!isObject(decoded))
        throw invalid(
          insideString(configurationLoc),
          `is ${show(decoded)}; configuration must encode an object`,
        );
      configuration = new Node(decoded, insideString(configurationLoc));
    }
  } else if (isObject(rawConfig)) {
    configuration = new Node(rawConfig, configurationLoc);
  } else if (rawConfig !== undefined && rawConfig !== null) {
    throw invalid(
      configurationLoc,
      `is ${show(rawConfig)}; configuration must be an object or a JSON-encoded object`,
    );
  }

  const supplementary =
    node.obj("supplementaryConfiguration", true) ?? Node.empty(node.at("supplementaryConfiguration"));

  return {
    source,
    loc,
    resourceType,
    resourceId,
    resourceName: optionalString(node, "resourceName"),
    arn: optionalString(node, "arn"),
    accountId: optionalString(node, ["awsAccountId", "accountId"]),
    awsRegion: optionalString(node, "awsRegion"),
    availabilityZone: optionalString(node, "availabilityZone"),
    captureTime,
    status: optionalString(node, "configurationItemStatus"),
    configuration,
    configurationLoc,
    supplementary,
    partial,
  };
}

function arrayAt(doc: Record<string, unknown>, key: string, file: string): unknown[] {
  const v = doc[key];
  if (!Array.isArray(v)) throw invalid({ file, pointer: `/${key}` }, `is ${show(v)}; must be an array`);
  return v;
}

/**
 * Recognize one of the three input shapes and normalize its configuration items (pure: no file system).
 * Throws SNAPSHOT_INVALID naming the file and JSON pointer for anything malformed.
 */
export function parseSnapshotDocument(doc: unknown, info: SnapshotFileInfo): ParsedSnapshot {
  const { file } = info;
  const root: Loc = { file, pointer: "" };
  if (!isObject(doc)) {
    throw invalid(
      root,
      `is ${Array.isArray(doc) ? "an array" : show(doc)}; expected an AWS Config snapshot object`,
      SHAPE_HINT,
    );
  }
  let format: SnapshotFormat;
  let key: string;
  if ("configurationItems" in doc) [format, key] = ["config-snapshot", "configurationItems"];
  else if ("baseConfigurationItems" in doc)
    [format, key] = ["batch-get-resource-config", "baseConfigurationItems"];
  else if ("Results" in doc) [format, key] = ["select-resource-config", "Results"];
  else {
    throw invalid(
      root,
      "is not an AWS Config snapshot, batch-get-resource-config or select-resource-config output (no configurationItems, baseConfigurationItems or Results array)",
      SHAPE_HINT,
    );
  }
  const source: ItemSource = { ...info, name: basename(file), call: FORMAT_CALLS[format], format };
  const list = arrayAt(doc, key, file);
  if (
    format === "batch-get-resource-config" &&
    doc.unprocessedResourceKeys !== undefined &&
    !Array.isArray(doc.unprocessedResourceKeys)
  ) {
    throw invalid(
      { file, pointer: "/unprocessedResourceKeys" },
      `is ${show(doc.unprocessedResourceKeys)}; must be an array`,
    );
  }

  // A select result carries only the selected fields, so an absent field may just not have been selected.
  // When QueryInfo shows that whole configuration and supplementaryConfiguration were selected, absence means
  // what it means in a delivered snapshot.
  const partial = format === "select-resource-config" && !selectsWholeItems(doc.QueryInfo, file);

  const items: ConfigItem[] = [];
  const skippedItems: ConfigItem[] = [];
  list.forEach((raw, i) => {
    const loc: Loc = { file, pointer: `/${key}/${i}` };
    let item: ConfigItem;
    if (format === "select-resource-config") {
      if (typeof raw !== "string")
        throw invalid(loc, `is ${show(raw)}; select-resource-config results are JSON-encoded strings`);
      const decoded = decodeJsonString(raw, loc, "the result");
      item = readItem(decoded, insideString(loc), source, partial);
    } else {
      item = readItem(raw, loc, source, false);
    }
    if (isSkipped(item)) skippedItems.push(item);
    else items.push(item);
  });
  return { format, source, items, skippedItems, skipped: skippedItems.length, total: list.length };
}

/** True when select-resource-config's QueryInfo lists `configuration` and `supplementaryConfiguration` (or `*`). */
function selectsWholeItems(queryInfo: unknown, file: string): boolean {
  if (queryInfo === undefined || queryInfo === null) return false;
  const info = new Node(isObject(queryInfo) ? queryInfo : {}, { file, pointer: "/QueryInfo" });
  if (!isObject(queryInfo)) throw invalid(info.loc, `is ${show(queryInfo)}; must be an object`);
  const fields = info.nodes("SelectFields") ?? [];
  const names = new Set(fields.map((f) => f.str("Name")));
  return names.has("*") || (names.has("configuration") && names.has("supplementaryConfiguration"));
}

const SHAPE_HINT =
  "pass a configuration snapshot delivered by AWS Config to S3, or the JSON printed by `aws configservice batch-get-resource-config` or `aws configservice select-resource-config`";
