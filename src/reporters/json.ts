import type { ReportData } from "./model.js";

// Evidence references and missing-evidence reasons for every resource with a finding that is not a pass, so a
// report rebuilt from this document (`cipherproof report`) can still cite its evidence. Property values stay out.
function evidenceIndex(result: ReportData): Array<Record<string, unknown>> {
  const wanted = new Set<string>();
  for (const f of result.findings)
    if (f.status !== "pass" && f.status !== "not_applicable") wanted.add(f.resourceId);
  const out: Array<Record<string, unknown>> = [];
  for (const r of result.resources) {
    if (!wanted.has(r.id)) continue;
    wanted.delete(r.id);
    out.push({
      id: r.id,
      type: r.type,
      collectedAt: r.collectedAt,
      evidence: r.evidence ?? [],
      missing: r.missing ?? {},
    });
  }
  return out;
}

/** Version of the findings document format (docs/findings.schema.json). */
export const FINDINGS_SCHEMA_VERSION = "1.0";

/** The findings document: the versioned, machine-readable record of one scan. */
export function findingsDocument(result: ReportData): Record<string, unknown> {
  return {
    $schema: "https://cipherproof.dev/schemas/findings-1.0.json",
    schemaVersion: FINDINGS_SCHEMA_VERSION,
    tool: result.tool,
    scan: {
      id: result.scanId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      sources: result.sources,
      accounts: result.accounts,
      regions: result.regions,
      resources: result.stats.resources,
      evaluations: result.stats.evaluations,
      typesWithoutPolicies: result.stats.typesWithoutPolicies,
      configFile: result.configFile ?? null,
      ...(result.shard ? { shard: { index: result.shard.index, count: result.shard.count } } : {}),
      ...(result.rebuiltFrom ? { rebuiltFrom: result.rebuiltFrom } : {}),
      ...(result.partial ? { partial: true } : {}),
    },
    policies: result.policies.map((p) => ({
      id: p.id,
      version: p.def.version ?? "1.0",
      title: p.def.title,
      category: p.def.category,
      severity: p.severity,
      resourceType: p.def.resourceType,
      parameters: p.params,
      description: p.def.description,
      rationale: p.def.rationale,
      remediation: p.def.remediation,
      references: p.def.references ?? [],
    })),
    summary: result.summary,
    frameworks: result.frameworks.map((fw) => ({
      id: fw.id,
      title: fw.title,
      version: fw.version,
      url: fw.url,
      controls: result.controls
        .filter((c) => c.framework === fw.id)
        .map((c) => ({
          id: c.control.id,
          title: c.control.title,
          summary: c.control.summary,
          status: c.status,
          counts: c.counts,
          manual: c.manual,
          manualEvidence: c.control.manualEvidence,
          policies: c.control.policies,
        })),
    })),
    waivers: result.waivers,
    findings: result.findings,
    resources: evidenceIndex(result),
  };
}

/** Render the findings document as pretty JSON text. */
export function renderJson(result: ReportData): string {
  return renderJsonChunks(result).join("");
}

/** List items per piece of renderJsonChunks (a thousand findings are about a megabyte). */
const ITEMS_PER_PIECE = 1000;

/**
 * The findings document as pretty JSON in pieces, the long lists a thousand items at a time: together the same text
 * as `JSON.stringify(doc, null, 2)` and a newline. V8 cannot build a string longer than 2^29 − 24 characters (about
 * 512 MiB), and a scan of a few hundred thousand resources writes more than that; the pieces go to a file or a
 * stream one by one.
 */
export function renderJsonChunks(result: ReportData): string[] {
  const doc = findingsDocument(result);
  const lists = { findings: doc.findings as unknown[], resources: doc.resources as unknown[] };
  // The two long lists are left out (as empty lists) and written in batches where they stand.
  const text = JSON.stringify({ ...doc, findings: [], resources: [] }, null, 2);
  const out: string[] = [];
  let from = 0;
  for (const [name, list] of Object.entries(lists)) {
    // A top-level key starts a line: string values cannot hold a raw newline, so this cannot match inside one.
    const key = `\n  ${JSON.stringify(name)}: []`;
    const at = text.indexOf(key, from);
    if (at < 0) throw new Error(`findings document: no top-level "${name}"`);
    out.push(text.slice(from, at + key.length - 2));
    pushList(out, name, list);
    from = at + key.length;
  }
  out.push(text.slice(from), "\n");
  return out;
}

/**
 * A top-level list as JSON.stringify(…, null, 2) writes it, appended to `out` a thousand items at a time. Each batch
 * is written inside a one-key object, so JSON.stringify indents its items exactly as in the whole document; the
 * wrapper's first and last lines are cut off.
 */
function pushList(out: string[], name: string, list: unknown[]): void {
  if (!list.length) {
    out.push("[]");
    return;
  }
  const head = `{\n  ${JSON.stringify(name)}: [`;
  const tail = "\n  ]\n}";
  for (let i = 0; i < list.length; i += ITEMS_PER_PIECE) {
    const text = JSON.stringify({ [name]: list.slice(i, i + ITEMS_PER_PIECE) }, null, 2);
    out.push(`${i ? "," : "["}${text.slice(head.length, text.length - tail.length)}`);
  }
  out.push("\n  ]");
}
