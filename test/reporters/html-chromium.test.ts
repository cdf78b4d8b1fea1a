import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/reporters/html.js";
import { type ScanResult, scan } from "../../src/scan.js";
import { ROOT } from "../support/cli.js";

// Evaluated inside the page (DOM types are not part of this project's lib).
declare const getComputedStyle: (el: unknown) => {
  backgroundColor: string;
  display: string;
  breakInside: string;
};

// The HTML report opened offline in Debian's headless Chromium through playwright-core. Every request that is not a
// file: URL is recorded and aborted, so a report that reached for the network would fail here.
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (scripts/test.sh does)`);

/** Where the screenshot and PDF are kept (git-ignored), for CI to upload. */
export const ARTIFACTS = join(ROOT, "test-artifacts");

const EXAMPLE = join(ROOT, "examples", "healthcare-saas");

describe.skipIf(!hasChromium)("report.html in headless Chromium, offline", () => {
  let result: ScanResult;
  let file: string;
  let profile: string;
  let context: import("playwright-core").BrowserContext;
  const blocked: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const snapshots = readdirSync(EXAMPLE)
      .filter((f) => f.endsWith(".json.gz"))
      .map((f) => join(EXAMPLE, f));
    result = await scan({
      snapshots,
      configFile: join(EXAMPLE, "cipherproof.config.yaml"),
      now: new Date("2026-11-22T12:00:00Z"),
    });
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-html-"));
    file = join(dir, "report.html");
    writeFileSync(file, renderHtml(result));
    profile = mkdtempSync(join(tmpdir(), "cipherproof-chromium-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    context.on("request", (req) => {
      if (!req.url().startsWith("file:")) blocked.push(req.url());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("renders the control matrix, charts and failures without touching the network", async () => {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    const res = await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    expect(res?.ok() ?? true).toBe(true);
    expect(await page.title()).toContain("Encryption compliance report");

    // control matrix: one table per framework, one row per control, statuses as rendered badges
    for (const fw of result.frameworks) {
      const rows = page.locator(`table.matrix[data-framework="${fw.id}"] tbody tr`);
      expect(await rows.count()).toBe(result.controls.filter((c) => c.framework === fw.id).length);
    }
    const failing = result.controls.filter((c) => c.status === "fail");
    expect(failing.length).toBeGreaterThan(0);
    const badge = page.locator(
      `table.matrix[data-framework="${failing[0].framework}"] tr[data-control="${failing[0].control.id}"] .badge`,
    );
    expect(await badge.textContent()).toBe("Fail");
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(198, 40, 40)");
    const noEvidence = result.controls.filter((c) => c.status === "no_automated_evidence").length;
    expect(await page.locator("table.matrix .badge.st-no_automated_evidence").count()).toBe(noEvidence);

    // charts: three inline SVGs, drawn with visible bars whose counts add up to the findings
    for (const id of ["by-category", "by-severity", "by-scope"]) {
      const svg = page.locator(`svg[data-chart="${id}"]`);
      expect(await svg.count()).toBe(1);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(50);
      const counts = await svg
        .locator("rect[data-count]")
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("data-count"))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(result.findings.length);
      const widths = await svg
        .locator("rect[data-count]")
        .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
      expect(Math.min(...widths)).toBeGreaterThan(0);
    }
    const failBars = await page
      .locator('svg[data-chart="by-category"] rect[data-status="fail"]')
      .evaluateAll((r) => r.map((x) => Number(x.getAttribute("data-count"))));
    expect(failBars.reduce((a, b) => a + b, 0)).toBe(result.summary.byStatus.fail);

    // every failing finding is listed
    expect(await page.locator('tr[data-status="fail"][data-finding]').count()).toBe(
      result.summary.byStatus.fail,
    );
    expect(await page.locator("#summary .verdict").textContent()).toMatch(/failed/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "report-chromium.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    writeFileSync(join(ARTIFACTS, "report-chromium.pdf"), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(existsSync(join(ARTIFACTS, "report-chromium.png"))).toBe(true);

    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("print CSS hides navigation and keeps rows whole", async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("nav").evaluate((n) => getComputedStyle(n).display)).toBe("none");
    expect(
      await page
        .locator("table.matrix tr")
        .first()
        .evaluate((r) => getComputedStyle(r).breakInside),
    ).toBe("avoid");
    await page.close();
  });

  it("the network guard is real: a page that fetches is caught", async () => {
    const page = await context.newPage();
    const probe = join(file, "..", "probe.html");
    writeFileSync(probe, `<img src="http://192.0.2.1/x.png">`);
    const before = blocked.length;
    await page.goto(pathToFileURL(probe).href);
    await page.waitForTimeout(200);
    expect(blocked.length).toBeGreaterThan(before);
    blocked.length = before;
    await page.close();
  });
});
