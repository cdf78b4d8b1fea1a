import { CipherproofError, CipherproofErrors } from "../core/errors.js";
import type { ControlResult, ControlStatus, Framework } from "../core/frameworks/index.js";
import { parseJson } from "../core/json.js";
import { summarize } from "../core/summary.js";
import { CATEGORIES, type Finding, type ResourceDocument, SEVERITIES, STATUSES } from "../core/types.js";
import { validateInput } from "../core/validate-input.js";
import { readText } from "../loaders/read.js";
import { FINDINGS_SCHEMA_VERSION } from "../reporters/json.js";
import type { ReportData, ReportPolicy } from "../reporters/model.js";
import type { ScanSource, WaiverReport } from "../scan.js";

const str = { type: "string" } as const;
const counts = { type: "object", additionalProperties: { type: "integer", minimum: 0 } } as const;

/** The parts of a findings document (reporters/json.ts) that a report is rebuilt from. */
export const FINDINGS_DOCUMENT_SCHEMA = {
  $id: "urn:cipherproof:findings-document-rebuild",
  type: "object",
  required: ["schemaVersion", "tool", "scan", "policies", "frameworks", "waivers", "findings"],
  properties: {
    schemaVersion: { type: "string", pattern: "^1\\.[0-9]+$" },
    tool: { type: "object", required: ["name", "version"], properties: { name: str, version: str } },
    scan: {
      type: "object",
      required: ["id", "startedAt", "finishedAt", "sources", "accounts", "regions"],
      properties: {
        id: str,
        startedAt: str,
        finishedAt: str,
        sources: {
          type: "array",
          items: {
            type: "object",
            required: ["kind", "resources"],
            properties: { kind: str, resources: { type: "integer" } },
          },
        },
        accounts: { type: "array", items: str },
        regions: { type: "array", items: str },
        resources: { type: "integer", minimum: 0 },
        evaluations: { type: "integer", minimum: 0 },
        typesWithoutPolicies: counts,
        configFile: { type: ["string", "null"] },
      },
    },
    policies: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "category", "severity", "resourceType"],
        properties: {
          id: str,
          version: str,
          title: str,
          category: { enum: [...CATEGORIES] },
          severity: { enum: [...SEVERITIES] },
          resourceType: str,
          parameters: { type: "object" },
          description: str,
          rationale: str,
          remediation: str,
          references: { type: "array", items: str },
        },
      },
    },
    frameworks: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "version", "controls"],
        properties: {
          id: str,
          title: str,
          version: str,
          controls: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "title", "status", "counts", "policies"],
              properties: {
                id: str,
                title: str,
                summary: str,
                status: { enum: ["pass", "fail", "error", "no_automated_evidence"] },
                counts,
                manual: { type: "boolean" },
                manualEvidence: str,
                policies: { type: "array", items: str },
              },
            },
          },
        },
      },
    },
    waivers: {
      type: "array",
      items: {
        type: "object",
        required: ["policy", "resource", "reason", "owner", "ticket", "expires", "state"],
        properties: { state: { enum: ["active", "expired"] } },
      },
    },
    findings: {
      type: "array",
      items: {
        type: "object",
        required: [
          "id",
          "policyId",
          "resourceId",
          "resourceType",
          "status",
          "severity",
          "category",
          "title",
          "message",
          "details",
          "resource",
          "evaluatedAt",
        ],
        properties: {
          status: { enum: [...STATUSES] },
          severity: { enum: [...SEVERITIES] },
          category: { enum: [...CATEGORIES] },
          details: { type: "array", items: { type: "object", required: ["property", "expected", "found"] } },
          resource: { type: "object", required: ["name", "source"] },
          controls: { type: "object" },
        },
      },
    },
    resources: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "type"],
        properties: { id: str, type: str, evidence: { type: "array" }, missing: { type: "object" } },
      },
    },
  },
} as const;

interface Doc {
  schemaVersion: string;
  tool: { name: string; version: string };
  scan: {
    id: string;
    startedAt: string;
    finishedAt: string;
    sources: ScanSource[];
    accounts: string[];
    regions: string[];
    resources?: number;
    evaluations?: number;
    typesWithoutPolicies?: Record<string, number>;
    configFile?: string | null;
  };
  policies: Array<{
    id: string;
    version?: string;
    title: string;
    category: ReportPolicy["def"]["category"];
    severity: ReportPolicy["severity"];
    resourceType: string;
    parameters?: Record<string, unknown>;
    description?: string;
    rationale?: string;
    remediation?: string;
    references?: string[];
  }>;
  frameworks: Array<{
    id: string;
    title: string;
    version: string;
    url?: string;
    controls: Array<{
      id: string;
      title: string;
      summary?: string;
      status: ControlStatus;
      counts: Partial<ControlResult["counts"]>;
      manual?: boolean;
      manualEvidence?: string;
      policies: string[];
    }>;
  }>;
  waivers: WaiverReport[];
  findings: Finding[];
  resources?: Array<{
    id: string;
    type: string;
    collectedAt?: string;
    evidence?: ResourceDocument["evidence"];
    missing?: Record<string, string>;
  }>;
}

/** Read and validate a findings document and rebuild what the reporters need from it. */
export function loadFindingsDocument(file: string): ReportData {
  const raw = parseJson(readText(file, "findings file"), file);
  const major = (raw as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof major === "string" && !/^1\./.test(major)) {
    throw new CipherproofError(
      "FINDINGS_INVALID",
      `findings schemaVersion ${major} is not supported`,
      { file, pointer: "/schemaVersion" },
      `this version reads ${FINDINGS_SCHEMA_VERSION.split(".")[0]}.x`,
    );
  }
  const errors = validateInput(FINDINGS_DOCUMENT_SCHEMA, raw, file, "FINDINGS_INVALID");
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors.slice(0, 20));
  return reportDataFromDocument(raw as Doc);
}

/** Rebuild report data from a validated findings document (pure). */
export function reportDataFromDocument(doc: Doc): ReportData {
  const policies: ReportPolicy[] = doc.policies.map((p) => ({
    id: p.id,
    severity: p.severity,
    params: p.parameters ?? {},
    def: {
      title: p.title,
      category: p.category,
      resourceType: p.resourceType,
      description: p.description ?? p.title,
      rationale: p.rationale ?? "",
      remediation: p.remediation ?? `See \`cipherproof policies explain ${p.id}\`.`,
      references: p.references ?? [],
      version: p.version,
    },
  }));
  const frameworks: Framework[] = [];
  const controls: ControlResult[] = [];
  for (const fw of doc.frameworks) {
    const fwControls = fw.controls.map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary ?? c.title,
      policies: c.policies,
      manualEvidence: c.manualEvidence,
    }));
    frameworks.push({ id: fw.id, title: fw.title, version: fw.version, url: fw.url, controls: fwControls });
    fw.controls.forEach((c, i) => {
      const n = (x: number | undefined) => x ?? 0;
      const k = {
        pass: n(c.counts.pass),
        fail: n(c.counts.fail),
        error: n(c.counts.error),
        waived: n(c.counts.waived),
        not_applicable: n(c.counts.not_applicable),
      };
      controls.push({
        framework: fw.id,
        control: fwControls[i],
        status: c.status,
        counts: k,
        manual: c.manual ?? c.manualEvidence !== undefined,
      });
    });
  }
  const names = new Map(doc.findings.map((f) => [f.resourceId, f.resource]));
  const resources: ResourceDocument[] = (doc.resources ?? []).map((r) => {
    const res = names.get(r.id);
    return {
      type: r.type,
      id: r.id,
      name: res?.name ?? r.id,
      provider: r.type.split(".")[0],
      account: res?.account,
      region: res?.region,
      source: res?.source ?? "unknown",
      collectedAt: r.collectedAt ?? "",
      properties: {},
      missing: r.missing ?? {},
      evidence: r.evidence ?? [],
    };
  });
  const summary = summarize(doc.findings);
  return {
    scanId: doc.scan.id,
    tool: doc.tool,
    startedAt: doc.scan.startedAt,
    finishedAt: doc.scan.finishedAt,
    sources: doc.scan.sources,
    accounts: doc.scan.accounts,
    regions: doc.scan.regions,
    policies,
    frameworks,
    controls,
    findings: doc.findings.map((f) => ({ ...f, controls: f.controls ?? {} })),
    stats: {
      resources: doc.scan.resources ?? new Set(doc.findings.map((f) => f.resourceId)).size,
      evaluations: doc.scan.evaluations ?? doc.findings.length,
      byStatus: summary.byStatus,
      typesWithoutPolicies: doc.scan.typesWithoutPolicies ?? {},
    },
    summary,
    waivers: doc.waivers.map((w) => ({ ...w, matched: w.matched ?? 0 })),
    configFile: doc.scan.configFile ?? undefined,
    resources,
  };
}
