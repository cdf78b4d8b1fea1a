import type { EvidenceRef, ResourceDocument } from "../../core/types.js";
import { RESOURCE_TYPES } from "../../resources/index.js";

/** Reason used when a property was neither collected nor explained: a collector gap, never a default value. */
export const NOT_COLLECTED = "not collected by the aws-api collector";

const DAY = 86_400_000;

/** Whole days from `from` to `now` (never negative). */
export function daysSince(from: Date | string | number, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / DAY));
}

/** Whole days from `now` until `to` (negative when past). */
export function daysUntil(to: Date | string | number, now: Date): number {
  return Math.floor((new Date(to).getTime() - now.getTime()) / DAY);
}

/** ISO 8601 of a date-ish value, or null. */
export function iso(v: Date | string | number | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Builds one resource document of a registered type; every schema property ends up either set or missing. */
export class DocBuilder {
  private readonly properties: Record<string, unknown> = {};
  private readonly missing: Record<string, string> = {};
  private readonly evidence: EvidenceRef[] = [];

  /** Start a document of `type` for one resource. */
  constructor(
    readonly type: string,
    readonly id: string,
    readonly name: string,
    readonly account: string,
    readonly region: string,
    readonly collectedAt: string,
  ) {
    if (!RESOURCE_TYPES[type]) throw new Error(`unknown resource type ${type}`);
  }

  /** Set a property (a later miss of the same property wins, so evidence gaps are never papered over). */
  set(prop: string, value: unknown): this {
    if (!(prop in this.missing)) this.properties[prop] = value;
    return this;
  }

  /** Mark properties as not collectable, with the reason (API call and error). */
  miss(props: string | string[], reason: string): this {
    for (const p of Array.isArray(props) ? props : [props]) {
      delete this.properties[p];
      if (!(p in this.missing)) this.missing[p] = reason;
    }
    return this;
  }

  /** True when the property is already known missing. */
  isMissing(prop: string): boolean {
    return prop in this.missing;
  }

  /** Record the call a property came from. */
  cite(ref: EvidenceRef | undefined): this {
    if (ref && !this.evidence.some((e) => e.call === ref.call && e.sha256 === ref.sha256))
      this.evidence.push(ref);
    return this;
  }

  /** The finished document. */
  build(): ResourceDocument {
    for (const p of Object.keys(RESOURCE_TYPES[this.type].properties)) {
      if (!(p in this.properties) && !(p in this.missing)) this.missing[p] = NOT_COLLECTED;
    }
    const doc: ResourceDocument = {
      type: this.type,
      id: this.id,
      name: this.name,
      provider: "aws",
      account: this.account,
      region: this.region,
      source: "aws-api",
      collectedAt: this.collectedAt,
      properties: this.properties,
    };
    if (Object.keys(this.missing).length) doc.missing = this.missing;
    if (this.evidence.length) doc.evidence = this.evidence;
    return doc;
  }
}

/**
 * A stand-in for resources that could not even be listed: the service's type with every property missing, so each
 * policy of that type ends as `error` naming the failed call, instead of silently having nothing to judge.
 */
export function collectionErrorDocument(
  type: string,
  account: string,
  region: string,
  reason: string,
  collectedAt: string,
  part?: string,
): ResourceDocument {
  const missing = Object.fromEntries(Object.keys(RESOURCE_TYPES[type].properties).map((p) => [p, reason]));
  return {
    type,
    id: `urn:cipherproof:collection-error:${account}:${region}:${type}${part ? `:${part}` : ""}`,
    name: `${type}${part ? ` (${part})` : ""} in ${account}/${region} (could not be listed)`,
    provider: "aws",
    account,
    region,
    source: "aws-api",
    collectedAt,
    properties: {},
    missing,
  };
}

/** True for the documents `collectionErrorDocument` makes. */
export function isCollectionError(doc: ResourceDocument): boolean {
  return doc.id.startsWith("urn:cipherproof:collection-error:");
}
