import { basename, relative, resolve } from "node:path";
import { CipherproofError } from "../../core/errors.js";
import { sha256, writeBundle } from "../../evidence/bundle.js";
import { parseFindingsDocument, readFindingsText } from "../../evidence/rebuild.js";
import { loadFrameworks } from "../../loaders/frameworks.js";
import { list, parse } from "../args.js";
import type { CliIO } from "../io.js";
import {
  BUNDLE_OPTIONS,
  bundleFormats,
  bundleLines,
  checkFormats,
  FORMATS_HELP,
  keyOptions,
} from "./bundle-options.js";

/** Help text for `cipherproof report`. */
export const REPORT_HELP = `Usage: cipherproof report FINDINGS.json [--out DIR] [options]

Rebuilds an evidence bundle (report.html, report.md, findings.json, findings.csv, results.sarif, junit.xml,
manifest.json, manifest.sig) from a findings file written by \`cipherproof scan\` (schemaVersion 1.x). The
evidence/ folder is not rebuilt: a findings file carries evidence references, not the resource documents.

A findings file is not signed, so nothing in it is taken on trust that can be recomputed: framework control
statuses are rolled up again from its findings, with the built-in framework catalogs' control→policy mapping (a
framework that is not built in keeps the mapping the file carries). Every disagreement is reported on stderr.
The rebuilt bundle says it was rebuilt: findings.json has scan.rebuiltFrom and manifest.json rebuiltFrom, naming
the findings file and its SHA-256.

Options:
  --out DIR              output folder (default reports); a new, empty, or previous-bundle folder
${FORMATS_HELP}

Exit codes: 0 written; 2 usage or input error.
`;

/** `cipherproof report FINDINGS.json --out DIR`. */
export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...BUNDLE_OPTIONS,
      help: { type: "boolean", short: "h" },
    },
    "report",
    true,
  );
  if (values.help) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CipherproofError(
      "USAGE",
      "report: give exactly one findings file",
      {},
      "cipherproof report reports/findings.json --out rebuilt",
    );
  const requested = list(values.format);
  checkFormats(requested);
  if (requested.includes("evidence")) {
    throw new CipherproofError(
      "USAGE",
      "report: the evidence format needs the collected resource documents, which a findings file does not carry",
      {},
      "leave evidence out of --format",
    );
  }
  const formats = bundleFormats(
    requested.length ? requested : ["html", "md", "json", "csv", "sarif", "junit"],
  );
  const outDir = values.out ?? "reports";
  if (outDir === "-") throw new CipherproofError("USAGE", "report: --out must be a folder", {}, "--out DIR");
  const keys = keyOptions(values, io.cwd);
  const file = resolve(io.cwd, positionals[0]);
  const text = readFindingsText(file);
  const data = parseFindingsDocument(text, file, {
    catalogs: loadFrameworks([]).frameworks,
    warn: (m) => io.stderr(`warning: ${m}\n`),
  });
  if (!formats.length) {
    io.stdout(`nothing to write: --format named no bundle file\n`);
    return 0;
  }
  const digest = sha256(text);
  data.rebuiltFrom = { file: basename(file), sha256: digest };
  const dir = resolve(io.cwd, outDir);
  const w = await writeBundle(dir, data, {
    formats,
    ...keys,
    notes: [
      `rebuilt by cipherproof report from ${basename(file)} (sha256 ${digest}); evidence/ not included`,
    ],
  });
  const s = data.summary.byStatus;
  io.stdout(
    `report rebuilt for scan ${data.scanId}: ${s.fail} failed, ${s.error} errors, ${s.pass} passed, ${s.waived} waived\n`,
  );
  io.stdout(bundleLines(w, relative(io.cwd, dir) || "."));
  return 0;
}
