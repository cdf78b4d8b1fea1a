import { CATEGORIES, type Finding } from "../core/types.js";
import { CONTROL_STATUS_LABEL, detailText, type ReportData, scopeOf } from "./model.js";
import { joinGroups, joinInPieces } from "./pieces.js";

/** Options for the JUnit reporter. */
export interface JunitOptions {
  /** Also add one testsuite per framework, a testcase per control (default true). */
  frameworks?: boolean;
}

// XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even when escaped.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text for an XML attribute or element, dropping characters XML cannot carry. */
export function xmlEscape(value: unknown): string {
  return String(value ?? "")
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;")
    .replace(/\n/g, "&#10;");
}

function elementText(value: string): string {
  // Inside element content newlines stay readable.
  return xmlEscape(value).replace(/&#10;/g, "\n");
}

interface Case {
  name: string;
  classname: string;
  outcome?: { tag: "failure" | "error" | "skipped"; message: string; type?: string; body?: string };
}

function suite(
  name: string,
  cases: Case[],
  timestamp: string,
): { xml: string[]; counts: { tests: number; failures: number; errors: number; skipped: number } } {
  const counts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  const body: string[] = [];
  for (const c of cases) {
    const head = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="0"`;
    if (!c.outcome) {
      body.push(`${head}/>`);
      continue;
    }
    if (c.outcome.tag === "failure") counts.failures++;
    else if (c.outcome.tag === "error") counts.errors++;
    else counts.skipped++;
    const type = c.outcome.type ? ` type="${xmlEscape(c.outcome.type)}"` : "";
    const inner = c.outcome.body ? `>${elementText(c.outcome.body)}</${c.outcome.tag}>` : "/>";
    body.push(
      `${head}>\n      <${c.outcome.tag} message="${xmlEscape(c.outcome.message)}"${type}${inner}\n    </testcase>`,
    );
  }
  // In pieces: one category can hold hundreds of thousands of findings.
  const xml = [
    `  <testsuite name="${xmlEscape(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0" timestamp="${xmlEscape(timestamp)}">\n`,
    ...joinInPieces(body, "\n"),
    `${body.length ? "\n" : ""}  </testsuite>`,
  ];
  return { xml, counts };
}

function findingCase(f: Finding): Case {
  const c: Case = {
    name: `${f.policyId} ${f.resource.name} (${scopeOf(f)})`,
    classname: `${f.category}.${f.policyId}`,
  };
  const body = [f.message, detailText(f), `resource: ${f.resourceId}`].filter(Boolean).join("\n");
  switch (f.status) {
    case "fail":
      c.outcome = { tag: "failure", message: f.message, type: f.severity, body };
      break;
    case "error":
      c.outcome = { tag: "error", message: f.message, type: "EvidenceMissing", body };
      break;
    case "waived":
      c.outcome = {
        tag: "skipped",
        message: `waived until ${f.waiver?.expires ?? "?"} by ${f.waiver?.owner ?? "?"} (${f.waiver?.ticket ?? "?"}): ${f.waiver?.reason ?? ""}`,
      };
      break;
    case "not_applicable":
      c.outcome = { tag: "skipped", message: "not applicable" };
      break;
  }
  return c;
}

/**
 * junit.xml: one testsuite per category (a testcase per finding) and one per framework (a testcase per control).
 * fail → <failure>, error → <error>, not applicable and waived → <skipped>; a control without automated evidence is
 * <skipped> too, never a pass.
 */
export function renderJunit(data: ReportData, options: JunitOptions = {}): string {
  return renderJunitChunks(data, options).join("");
}

/** junit.xml in pieces of about a megabyte (see pieces.ts). */
export function renderJunitChunks(data: ReportData, options: JunitOptions = {}): string[] {
  const suites: string[][] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const add = (r: ReturnType<typeof suite>) => {
    suites.push(r.xml);
    total.tests += r.counts.tests;
    total.failures += r.counts.failures;
    total.errors += r.counts.errors;
    total.skipped += r.counts.skipped;
  };
  for (const cat of CATEGORIES) {
    const cases = data.findings.filter((f) => f.category === cat).map(findingCase);
    if (cases.length) add(suite(`category ${cat}`, cases, data.startedAt));
  }
  if (options.frameworks !== false) {
    for (const fw of data.frameworks) {
      const cases: Case[] = data.controls
        .filter((c) => c.framework === fw.id)
        .map((c) => {
          const k: Case = { name: `${c.control.id} ${c.control.title}`, classname: `framework.${fw.id}` };
          const counts = `pass ${c.counts.pass}, fail ${c.counts.fail}, error ${c.counts.error}, waived ${c.counts.waived}`;
          if (c.status === "fail")
            k.outcome = {
              tag: "failure",
              message: `${CONTROL_STATUS_LABEL.fail}: ${counts}`,
              type: "ControlFailed",
              body: c.control.summary,
            };
          else if (c.status === "error")
            k.outcome = {
              tag: "error",
              message: `${CONTROL_STATUS_LABEL.error}: ${counts}`,
              type: "EvidenceMissing",
              body: c.control.summary,
            };
          else if (c.status === "no_automated_evidence") {
            k.outcome = {
              tag: "skipped",
              message: `no automated evidence${c.control.manualEvidence ? `; manual evidence: ${c.control.manualEvidence}` : ""}`,
            };
          }
          return k;
        });
      if (cases.length) add(suite(`framework ${fw.title} (${fw.version})`, cases, data.startedAt));
    }
  }
  const head =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="cipherproof ${xmlEscape(data.scanId)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">\n`;
  return joinGroups([head, joinGroups(suites, "\n"), `${suites.length ? "\n" : ""}</testsuites>\n`], "");
}
