import { controlRefsText, detailText, type ReportData } from "./model.js";
import { joinInPieces } from "./pieces.js";

/** Options for the CSV reporter. */
export interface CsvOptions {
  /** Which findings to include (default: every finding, whatever its status). */
  statuses?: string[];
}

/** Column headers of findings.csv, in order. */
export const CSV_COLUMNS = [
  "finding_id",
  "status",
  "severity",
  "category",
  "policy_id",
  "title",
  "resource_type",
  "resource_id",
  "resource_name",
  "account",
  "region",
  "source",
  "message",
  "details",
  "controls",
  "waiver_owner",
  "waiver_ticket",
  "waiver_expires",
  "waiver_expired",
  "evaluated_at",
] as const;

// A cell a spreadsheet would run as a formula (= + - @, or tab / carriage return that some parsers strip before
// looking) gets a leading apostrophe, the OWASP-recommended neutralisation.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-neutralised, then quoted per RFC 4180 when it holds a comma, quote, CR or LF. */
export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? "" : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** findings.csv: RFC 4180 (CRLF line ends, header row), one row per finding. */
export function renderCsv(data: ReportData, options: CsvOptions = {}): string {
  return renderCsvChunks(data, options).join("");
}

/** findings.csv in pieces of about a megabyte (see pieces.ts). */
export function renderCsvChunks(data: ReportData, options: CsvOptions = {}): string[] {
  const wanted = options.statuses ? new Set(options.statuses) : undefined;
  const rows: string[] = [CSV_COLUMNS.join(",")];
  for (const f of data.findings) {
    if (wanted && !wanted.has(f.status)) continue;
    const cells = [
      f.id,
      f.status,
      f.severity,
      f.category,
      f.policyId,
      f.title,
      f.resourceType,
      f.resourceId,
      f.resource.name,
      f.resource.account ?? "",
      f.resource.region ?? "",
      f.resource.source,
      f.message,
      detailText(f),
      controlRefsText(f).join("; "),
      f.waiver?.owner ?? "",
      f.waiver?.ticket ?? "",
      f.waiver?.expires ?? "",
      f.waiver ? String(f.waiver.expired) : "",
      f.evaluatedAt,
    ];
    rows.push(cells.map(csvCell).join(","));
  }
  const out = joinInPieces(rows, "\r\n");
  out.push("\r\n");
  return out;
}
