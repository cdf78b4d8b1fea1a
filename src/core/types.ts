/** Severity levels, lowest first. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
/** How serious a failed policy is. */
export type Severity = (typeof SEVERITIES)[number];

/** The four policy categories. */
export const CATEGORIES = ["at-rest", "in-transit", "key-management", "logging"] as const;
/** What a policy is about. */
export type Category = (typeof CATEGORIES)[number];

/** Every status a finding can have. */
export const STATUSES = ["pass", "fail", "error", "not_applicable", "waived"] as const;
/** The outcome of evaluating one policy against one resource. */
export type Status = (typeof STATUSES)[number];

/** Where a resource document came from. */
export type ResourceSource =
  | "aws-api"
  | "aws-config-snapshot"
  | "aws-config-aggregator"
  | "endpoint"
  | "terraform-plan"
  | "fixture";

/** One API call or file that a resource document was built from. */
export interface EvidenceRef {
  call: string;
  region?: string;
  at?: string;
  sha256?: string;
  file?: string;
}

/** The only thing collectors hand to the engine: a normalized description of one resource. */
export interface ResourceDocument {
  type: string;
  id: string;
  name: string;
  provider: string;
  account?: string;
  region?: string;
  source: ResourceSource | string;
  collectedAt: string;
  properties: Record<string, unknown>;
  /** Properties that could not be collected, keyed by (dotted) property path, with the reason. */
  missing?: Record<string, string>;
  evidence?: EvidenceRef[];
}

/** A parameter a policy accepts, as a JSON Schema with a default. */
export interface PolicyParameter {
  type: "integer" | "number" | "string" | "boolean" | "array";
  description?: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: Record<string, unknown>;
}

/** A policy as written on disk (after meta-schema validation). */
export interface PolicyDefinition {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  resourceType: string;
  description: string;
  rationale: string;
  remediation: string;
  references?: string[];
  parameters?: Record<string, PolicyParameter>;
  when?: Record<string, unknown>;
  assert: Record<string, unknown>;
  message: string;
  version?: string;
}

/** One row of a failure explanation: which property, what was expected, what was found. */
export interface FindingDetail {
  property: string;
  expected: string;
  found: string;
}

/** A waiver as recorded on a finding. */
export interface AppliedWaiver {
  policy: string;
  resource: string;
  reason: string;
  owner: string;
  ticket: string;
  expires: string;
  expired: boolean;
}

/** Framework controls a finding provides evidence for, keyed by framework id. */
export type ControlRefs = Record<string, string[]>;

/** The result of evaluating one policy against one resource. */
export interface Finding {
  id: string;
  policyId: string;
  resourceId: string;
  resourceType: string;
  status: Status;
  severity: Severity;
  category: Category;
  title: string;
  message: string;
  details: FindingDetail[];
  controls: ControlRefs;
  waiver?: AppliedWaiver;
  resource: { name: string; account?: string; region?: string; source: string };
  evaluatedAt: string;
}

/** Compare two severities: negative when a is lower than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
