import type { Finding, Status } from "../../core/types.js";
import {
  arnPartition,
  controlRefs,
  findingEventId,
  providerOf,
  SEVERITY_0_10,
  scanEventId,
  scanSeverity,
} from "../ids.js";
import type { ScanContext, SiemFormatter } from "../types.js";

/** The ECS version the events follow. */
export const ECS_VERSION = "8.11.0";

const OUTCOME: Record<Status, "success" | "failure" | "unknown"> = {
  pass: "success",
  fail: "failure",
  waived: "failure",
  error: "unknown",
  not_applicable: "unknown",
};

function observer(ctx: ScanContext): Record<string, unknown> {
  return {
    vendor: ctx.product.vendor,
    product: ctx.product.name,
    version: ctx.product.version,
    type: "scanner",
    hostname: ctx.host,
  };
}

/** An ECS document (event.kind "state", category configuration) for one finding. */
export function ecsFinding(f: Finding, ctx: ScanContext): Record<string, unknown> {
  const policy = ctx.policies[f.policyId];
  const provider = providerOf(f, ctx);
  const cloud: Record<string, unknown> = { provider };
  if (f.resource.account) cloud.account = { id: f.resource.account };
  if (f.resource.region) cloud.region = f.resource.region;
  const rule: Record<string, unknown> = {
    id: f.policyId,
    name: f.title,
    description: policy?.description ?? f.title,
    category: f.category,
    ruleset: "cipherproof",
    author: [ctx.product.vendor],
  };
  if (policy?.references.length) rule.reference = policy.references[0];
  if (policy?.version) rule.version = policy.version;
  return {
    "@timestamp": f.evaluatedAt,
    message: f.message,
    ecs: { version: ECS_VERSION },
    event: {
      id: findingEventId(f, ctx),
      kind: "state",
      category: ["configuration"],
      type: ["info"],
      outcome: OUTCOME[f.status],
      action: "compliance-check",
      dataset: "cipherproof.findings",
      module: "cipherproof",
      provider: "cipherproof",
      severity: SEVERITY_0_10[f.severity],
      created: f.evaluatedAt,
      reference: policy?.references[0],
    },
    rule,
    cloud,
    // ECS has no resource field set of its own; these are the names Elastic's cloud posture findings use.
    resource: {
      id: f.resourceId,
      name: f.resource.name,
      type: f.resourceType,
      ...(arnPartition(f.resourceId) ? { sub_type: f.resourceType } : {}),
    },
    result: {
      evaluation:
        f.status === "pass" ? "passed" : f.status === "fail" || f.status === "waived" ? "failed" : f.status,
    },
    observer: observer(ctx),
    host: { hostname: ctx.host, name: ctx.host },
    tags: ["cipherproof", f.category, ...Object.keys(f.controls)],
    labels: { scan_id: ctx.scanId },
    cipherproof: {
      finding_id: f.id,
      scan_id: ctx.scanId,
      status: f.status,
      severity: f.severity,
      controls: controlRefs(f),
      details: f.details,
      source: f.resource.source,
      ...(f.waiver ? { waiver: f.waiver } : {}),
      ...(policy?.remediation ? { remediation: policy.remediation } : {}),
    },
  };
}

function scanEvent(ctx: ScanContext, started: boolean): Record<string, unknown> {
  return {
    "@timestamp": started ? ctx.startedAt : ctx.finishedAt,
    message: started
      ? `Cipherproof scan ${ctx.scanId} started`
      : `Cipherproof scan ${ctx.scanId} completed: ${ctx.counts.fail} failed, ${ctx.counts.error} errors, ${ctx.counts.pass} passed of ${ctx.counts.total}`,
    ecs: { version: ECS_VERSION },
    event: {
      id: scanEventId(started ? "scan_started" : "scan_completed", ctx),
      kind: "event",
      category: ["configuration"],
      type: [started ? "start" : "end"],
      ...(started
        ? {}
        : {
            outcome: "success",
            duration: (Date.parse(ctx.finishedAt) - Date.parse(ctx.startedAt)) * 1e6,
            end: ctx.finishedAt,
          }),
      start: ctx.startedAt,
      action: started ? "scan-started" : "scan-completed",
      dataset: "cipherproof.scans",
      module: "cipherproof",
      provider: "cipherproof",
      severity: SEVERITY_0_10[started ? "info" : scanSeverity(ctx)],
    },
    observer: observer(ctx),
    host: { hostname: ctx.host, name: ctx.host },
    labels: { scan_id: ctx.scanId },
    tags: ["cipherproof"],
    cipherproof: {
      scan_id: ctx.scanId,
      accounts: ctx.accounts,
      regions: ctx.regions,
      ...(started ? {} : { counts: ctx.counts, delivered_findings: ctx.selected, events: ctx.events }),
    },
  };
}

/** ECS documents for findings and scan lifecycle events. */
export const ecs: SiemFormatter = {
  finding: ecsFinding,
  scanStarted: (ctx) => scanEvent(ctx, true),
  scanCompleted: (ctx) => scanEvent(ctx, false),
};
