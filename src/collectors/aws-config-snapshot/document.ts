import type { ResourceDocument } from "../../core/types.js";
import type { ResourceTypeSchema } from "../../resources/index.js";
import { RESOURCE_TYPES } from "../../resources/index.js";
import { partitionOfRegion } from "../aws-partition.js";
import type { MapContext } from "./context.js";
import { invalid, Node, show } from "./node.js";
import type { ConfigItem } from "./parse.js";

/** Reasons recorded in `missing`. */
export const REASON = {
  notInSnapshot: "not recorded by AWS Config snapshots (use --aws)",
  notSelected:
    "not among the fields the select query returned (select configuration and supplementaryConfiguration, or use --aws)",
  notInItem: "not present in this AWS Config configuration item (use --aws)",
} as const;

const DAY_MS = 86_400_000;

/** Whole days from `fromIso` to `now` (negative when `fromIso` is in the future). */
export function daysSince(fromIso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(fromIso)) / DAY_MS);
}

/** Whole days from `now` until `toIso` (negative when `toIso` has passed). */
export function daysUntil(toIso: string, now: Date): number {
  return Math.floor((Date.parse(toIso) - now.getTime()) / DAY_MS);
}

/** The partition an ARN lives in, guessed from the region when no ARN is at hand. */
export function partitionOf(item: ConfigItem): string {
  const m = /^arn:([^:]+):/.exec(item.arn ?? item.resourceId);
  if (m) return m[1];
  return partitionOfRegion(item.awsRegion ?? "");
}

/** The item's configuration; a full configuration item without one is invalid, a select result without one is empty. */
export function configurationOf(item: ConfigItem): Node {
  if (item.configuration) return item.configuration;
  if (item.partial) return Node.empty(item.configurationLoc);
  throw invalid(
    item.configurationLoc,
    `the ${item.resourceType} item has no configuration`,
    "a configuration item in a snapshot carries its configuration object",
  );
}

/**
 * Builds one resource document: only properties of the type schema, every schema property either set or listed in
 * `missing` with a reason, evidence pointing at the file and its hash.
 */
export class DocumentBuilder {
  private readonly schema: ResourceTypeSchema;
  private readonly properties: Record<string, unknown> = {};
  private readonly missing: Record<string, string> = {};

  constructor(
    readonly type: string,
    readonly item: ConfigItem,
    readonly ctx: MapContext,
    private readonly identity: { id: string; name: string },
  ) {
    const schema = RESOURCE_TYPES[type];
    if (!schema) throw new Error(`unknown resource type ${type}`);
    this.schema = schema;
  }

  private prop(name: string): Record<string, unknown> {
    const p = this.schema.properties[name];
    if (!p) throw new Error(`${this.type} has no property ${name}`);
    return p;
  }

  private allowsNull(name: string): boolean {
    const t = this.prop(name).type;
    return t === "null" || (Array.isArray(t) && t.includes("null"));
  }

  /** Set a property; a value outside the schema's enum is recorded as missing, never coerced. */
  set(name: string, value: unknown): this {
    const p = this.prop(name);
    if (Array.isArray(p.enum) && !p.enum.includes(value as never)) {
      return this.miss(
        name,
        `unrecognized value ${show(value)} (expected one of ${p.enum.map((v) => JSON.stringify(v)).join(", ")})`,
      );
    }
    delete this.missing[name];
    this.properties[name] = value;
    return this;
  }

  /** Record that a property could not be collected, and why. */
  miss(name: string, reason: string): this {
    this.prop(name);
    delete this.properties[name];
    this.missing[name] = reason;
    return this;
  }

  /**
   * Set a property from a configuration field. An absent field (or a null one the schema does not allow) is
   * missing — or, in a full configuration item where absence has a meaning (e.g. no default encryption), `absent.value`.
   */
  field(name: string, value: unknown, absent?: { value: unknown } | { reason: string }): this {
    if (value === undefined || (value === null && !this.allowsNull(name))) {
      if (value === undefined && this.item.partial) return this.miss(name, REASON.notSelected);
      if (absent && "value" in absent) return this.set(name, absent.value);
      return this.miss(name, absent?.reason ?? REASON.notInItem);
    }
    return this.set(name, value);
  }

  /** True when the property has been set (not missing). */
  isSet(name: string): boolean {
    return Object.hasOwn(this.properties, name);
  }

  /** The value set for a property, if any. */
  get(name: string): unknown {
    return this.properties[name];
  }

  /**
   * Set kmsKeyId and kmsKeyManager: null when not encrypted; the manager classified through alias/aws/… names or the
   * AWS::KMS::Key items of every loaded file; missing when neither tells.
   */
  kmsKey(
    keyId: string | null | undefined,
    encrypted: boolean | null | undefined,
    props = { id: "kmsKeyId", manager: "kmsKeyManager" },
  ): this {
    const hasManager = Object.hasOwn(this.schema.properties, props.manager);
    if (encrypted === false) {
      this.set(props.id, null);
      if (hasManager) this.set(props.manager, null);
      return this;
    }
    if (keyId === undefined || keyId === null || keyId === "") {
      const reason = keyId === undefined && this.item.partial ? REASON.notSelected : REASON.notInItem;
      this.miss(props.id, reason);
      if (hasManager) this.miss(props.manager, `the KMS key is unknown: ${reason}`);
      return this;
    }
    this.set(props.id, keyId);
    if (hasManager) {
      const r = this.ctx.keys.resolve(keyId, { account: this.item.accountId, region: this.item.awsRegion });
      if ("manager" in r) this.set(props.manager, r.manager);
      else this.miss(props.manager, r.reason);
    }
    return this;
  }

  /** The finished document; schema properties not yet decided are marked as not recorded by snapshots. */
  build(): ResourceDocument {
    for (const name of Object.keys(this.schema.properties)) {
      if (!Object.hasOwn(this.properties, name) && !Object.hasOwn(this.missing, name))
        this.missing[name] = REASON.notInSnapshot;
    }
    const { item } = this;
    const doc: ResourceDocument = {
      type: this.type,
      id: this.identity.id,
      name: this.identity.name,
      provider: "aws",
      account: item.accountId,
      region: item.awsRegion,
      source: "aws-config-snapshot",
      collectedAt: item.captureTime ?? this.ctx.now.toISOString(),
      properties: this.properties,
      missing: this.missing,
      evidence: [{ call: item.source.call, file: item.source.name, sha256: item.source.sha256 }],
    };
    if (doc.account === undefined) delete doc.account;
    if (doc.region === undefined) delete doc.region;
    return doc;
  }
}

/**
 * Start a document for an item: its id is the item's ARN (or `fallback.arn()` when the item has none), its name the
 * mapper's preferred display name, else the item's resourceName, else its resourceId.
 */
export function startDocument(
  type: string,
  item: ConfigItem,
  ctx: MapContext,
  fallback: { arn: () => string; name?: string | null },
): DocumentBuilder {
  const id = item.arn ?? (item.resourceId.startsWith("arn:") ? item.resourceId : fallback.arn());
  const name = fallback.name ?? item.resourceName ?? item.resourceId;
  return new DocumentBuilder(type, item, ctx, { id, name });
}
