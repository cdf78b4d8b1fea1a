// Report benchmark: size and render time of every report for 50,000 findings (BENCH_FINDINGS), plus how long
// headless Chromium takes to load and lay out report.html when /usr/bin/chromium is installed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { rollUpControls } from "../dist/core/frameworks/index.js";
import { summarize } from "../dist/core/summary.js";
import { renderBundle } from "../dist/evidence/bundle.js";
import { renderCsv } from "../dist/reporters/csv.js";
import { renderHtml } from "../dist/reporters/html.js";
import { renderJson } from "../dist/reporters/json.js";
import { renderJunit } from "../dist/reporters/junit.js";
import { renderMarkdown } from "../dist/reporters/markdown.js";
import { renderSarif } from "../dist/reporters/sarif.js";
import { loadPolicySet, scan } from "../dist/scan.js";
import { syntheticResources } from "./synthetic.js";

const N = Number(process.env.BENCH_FINDINGS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const { policies } = loadPolicySet({});
const types = [...new Set(policies.map((p) => p.def.resourceType))];
const perResource = policies.length / types.length;
const accounts = ["111122223333", "444455556666", "777788889999"];
const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
const resources = syntheticResources({
  count: Math.ceil((N / perResource) * 1.2),
  types,
  seed: 7,
  trueRate: 0.7,
  accounts,
  regions,
}).map((doc) => ({
  ...doc,
  provider: doc.type.split(".")[0],
  source: "aws-api",
  evidence: [
    { call: "bench:Describe", region: doc.region, at: "2026-11-22T00:00:00.000Z", sha256: "0".repeat(64) },
  ],
}));
const full = await scan({ resources, now: new Date("2026-11-22T00:00:00Z") });
const findings = full.findings.slice(0, N);
const result = {
  ...full,
  findings,
  summary: summarize(findings),
  controls: full.frameworks.flatMap((fw) => rollUpControls(fw, findings)),
};

function time(fn) {
  let best = Number.POSITIVE_INFINITY;
  let out;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    out = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, bytes: Buffer.byteLength(out) };
}
const mib = (b) => (b / 1024 / 1024).toFixed(2);

console.log("bench/report — reports for synthetic findings (best of", ROUNDS, "rounds)");
console.log(
  `  node ${process.version}, ${findings.length} findings ${JSON.stringify(result.summary.byStatus)}, ${result.controls.length} controls`,
);
const rows = [
  ["report.html", () => renderHtml(result)],
  ["report.md", () => renderMarkdown(result)],
  ["findings.json", () => renderJson(result)],
  ["findings.csv", () => renderCsv(result)],
  ["results.sarif", () => renderSarif(result)],
  ["junit.xml", () => renderJunit(result)],
];
for (const [name, fn] of rows) {
  const r = time(fn);
  console.log(`  ${name.padEnd(14)} ${mib(r.bytes).padStart(7)} MiB  ${r.ms.toFixed(0).padStart(6)} ms`);
}
const t0 = performance.now();
const bundle = await renderBundle(result, {});
const total = [...bundle.files.values()].reduce((a, b) => a + b.length, 0);
console.log(
  `  whole bundle   ${mib(total).padStart(7)} MiB  ${(performance.now() - t0).toFixed(0).padStart(6)} ms  (${bundle.files.size} files, hashed and signed)`,
);

if (existsSync("/usr/bin/chromium")) {
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "cipherproof-bench-"));
  const file = join(dir, "report.html");
  writeFileSync(file, renderHtml(result));
  const ctx = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await ctx.newPage();
  const c0 = performance.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(
    `  chromium load + layout of report.html: ${(performance.now() - c0).toFixed(0)} ms (page height ${height} px)`,
  );
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
} else {
  console.log("  chromium: /usr/bin/chromium not installed, browser render time not measured");
}
