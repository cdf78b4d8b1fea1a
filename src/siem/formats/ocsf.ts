import type { Finding, Severity, Status } from "../../core/types.js";
import {
  arnPartition,
  controlRefs,
  findingEventId,
  ms,
  providerOf,
  scanEventId,
  scanSeverity,
} from "../ids.js";
import type { ScanContext, SiemFormatter } from "../types.js";

/** The OCSF schema version the events follow. */
export const OCSF_VERSION = "1.7.0";

const SEVERITY_ID: Record<Severity, [number, string]> = {
  info: [1, "Informational"],
  low: [2, "Low"],
  medium: [3, "Medium"],
  high: [4, "High"],
  critical: [5, "Critical"],
};

// compliance.status_id: 1 Pass, 2 Warning (no result: evidence missing), 3 Fail, 99 Other.
const COMPLIANCE_STATUS: Record<Status, [number, string]> = {
  pass: [1, "Pass"],
  error: [2, "Warning"],
  fail: [3, "Fail"],
  waived: [3, "Fail"],
  not_applicable: [99, "Not Applicable"],
};

function cloudProvider(provider: string): string {
  return provider === "aws" ? "AWS" : provider;
}

function metadata(ctx: ScanContext, uid: string, logName: string): Record<string, unknown> {
  return {
    product: { name: ctx.product.name, vendor_name: ctx.product.vendor, version: ctx.product.version },
    version: OCSF_VERSION,
    uid,
    correlation_uid: ctx.scanId,
    log_name: logName,
    profiles: ["cloud"],
  };
}

function scanCloud(ctx: ScanContext): Record<string, unknown> {
  const cloud: Record<string, unknown> = { provider: ctx.accounts.length ? "AWS" : "none" };
  if (ctx.regions.length === 1) cloud.region = ctx.regions[0];
  if (ctx.accounts.length === 1) cloud.account = { uid: ctx.accounts[0] };
  return cloud;
}

/** An OCSF 1.7.0 Compliance Finding (class_uid 2003, activity Create) for one finding. */
export function ocsfFinding(f: Finding, ctx: ScanContext): Record<string, unknown> {
  const [severityId, severity] = SEVERITY_ID[f.severity];
  const [complianceStatusId, complianceStatus] = COMPLIANCE_STATUS[f.status];
  const policy = ctx.policies[f.policyId];
  const provider = providerOf(f, ctx);
  const resource: Record<string, unknown> = {
    uid: f.resourceId,
    name: f.resource.name,
    type: f.resourceType,
    role_id: 1,
    role: "Target",
  };
  if (f.resource.region) resource.region = f.resource.region;
  const partition = arnPartition(f.resourceId);
  if (partition) resource.cloud_partition = partition;
  if (f.resource.account)
    resource.owner = { account: { uid: f.resource.account, type_id: provider === "aws" ? 10 : 0 } };
  const cloud: Record<string, unknown> = { provider: cloudProvider(provider) };
  if (f.resource.region) cloud.region = f.resource.region;
  if (f.resource.account) cloud.account = { uid: f.resource.account, type_id: provider === "aws" ? 10 : 0 };
  const standards = Object.keys(f.controls).map((fw) => ctx.frameworks[fw] ?? fw);
  const event: Record<string, unknown> = {
    class_uid: 2003,
    class_name: "Compliance Finding",
    category_uid: 2,
    category_name: "Findings",
    activity_id: 1,
    activity_name: "Create",
    type_uid: 200301,
    type_name: "Compliance Finding: Create",
    severity_id: severityId,
    severity,
    // The finding's own workflow status: a waived failure is suppressed, everything else is new to the SIEM.
    status_id: f.status === "waived" ? 3 : 1,
    status: f.status === "waived" ? "Suppressed" : "New",
    time: ms(f.evaluatedAt),
    message: f.message,
    metadata: metadata(ctx, findingEventId(f, ctx), "findings"),
    cloud,
    compliance: {
      control: f.policyId,
      standards,
      requirements: controlRefs(f),
      status_id: complianceStatusId,
      status: complianceStatus,
      ...(f.details.length
        ? { status_details: f.details.map((d) => `${d.property}: expected ${d.expected}, found ${d.found}`) }
        : {}),
      ...(policy?.description ? { desc: policy.description } : {}),
    },
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.message,
      types: ["Compliance", f.category],
      analytic: {
        uid: f.policyId,
        name: f.title,
        type_id: 1,
        type: "Rule",
        ...(policy?.version ? { version: policy.version } : {}),
      },
      ...(policy?.references.length ? { src_url: policy.references[0] } : {}),
    },
    resources: [resource],
    unmapped: {
      cipherproof: {
        status: f.status,
        category: f.category,
        scan_id: ctx.scanId,
        source: f.resource.source,
        ...(f.waiver ? { waiver: f.waiver } : {}),
      },
    },
  };
  if (policy?.remediation) {
    event.remediation = {
      desc: policy.remediation,
      ...(policy.references.length ? { references: policy.references } : {}),
    };
  }
  return event;
}

function scanActivity(ctx: ScanContext, activityId: 1 | 2): Record<string, unknown> {
  const started = activityId === 1;
  const [severityId, severity] = SEVERITY_ID[started ? "info" : scanSeverity(ctx)];
  const event: Record<string, unknown> = {
    class_uid: 6007,
    class_name: "Scan Activity",
    category_uid: 6,
    category_name: "Application Activity",
    activity_id: activityId,
    activity_name: started ? "Started" : "Completed",
    type_uid: 600700 + activityId,
    type_name: `Scan Activity: ${started ? "Started" : "Completed"}`,
    severity_id: severityId,
    severity,
    time: ms(started ? ctx.startedAt : ctx.finishedAt),
    start_time: ms(ctx.startedAt),
    message: started
      ? `Cipherproof scan ${ctx.scanId} started`
      : `Cipherproof scan ${ctx.scanId} completed: ${ctx.counts.fail} failed, ${ctx.counts.error} errors, ${ctx.counts.pass} passed of ${ctx.counts.total}`,
    metadata: metadata(ctx, scanEventId(started ? "scan_started" : "scan_completed", ctx), "scans"),
    cloud: scanCloud(ctx),
    scan: { uid: ctx.scanId, name: "cipherproof scan", type_id: 1, type: "Manual" },
  };
  if (!started) {
    event.end_time = ms(ctx.finishedAt);
    event.duration = ms(ctx.finishedAt) - ms(ctx.startedAt);
    event.status_id = 1;
    event.status = "Success";
    event.total = ctx.counts.total;
    event.num_detections = ctx.counts.fail;
    event.unmapped = {
      cipherproof: { counts: ctx.counts, delivered_findings: ctx.selected, events: ctx.events },
    };
  }
  return event;
}

/** OCSF: Compliance Finding per finding, Scan Activity (class_uid 6007) for scan started and completed. */
export const ocsf: SiemFormatter = {
  finding: ocsfFinding,
  scanStarted: (ctx) => scanActivity(ctx, 1),
  scanCompleted: (ctx) => scanActivity(ctx, 2),
};
