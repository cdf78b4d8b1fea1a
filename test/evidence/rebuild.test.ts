import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyBundle } from "../../src/evidence/verify.js";
import { renderJson } from "../../src/reporters/json.js";
import { mdEscape } from "../../src/reporters/markdown.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "../reporters/fixtures.js";
import { runCliInProcess, tempDir } from "../support/cli.js";

const cli = runCliInProcess;

interface DocControl {
  id: string;
  title: string;
  status: string;
  counts: Record<string, number>;
  policies: string[];
}
interface DocFramework {
  id: string;
  title: string;
  version: string;
  controls: DocControl[];
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
// The report.md control-matrix row of a control (framework sections list `| id | title | status | …`).
const mdRow = (md: string, c: DocControl) =>
  md.split("\n").filter((l) => l.startsWith(`| ${mdEscape(c.id)} | ${mdEscape(c.title)} |`));

describe("cipherproof report recomputes control roll-ups from the findings (never trusts the document's statuses)", () => {
  let result: ScanResult;
  let original: { frameworks: DocFramework[]; findings: Array<{ policyId: string; status: string }> };
  let failing: { fw: DocFramework; control: DocControl };
  beforeAll(async () => {
    result = await sampleScan();
    original = JSON.parse(renderJson(result));
    const fw = original.frameworks.find((f) => f.controls.some((c) => c.status === "fail"));
    if (!fw) throw new Error("fixture: the sample scan has no failing control");
    failing = { fw, control: fw.controls.find((c) => c.status === "fail")! };
  });

  // A copy of the findings document with the failing control edited by `edit`, written to a fresh folder.
  const tampered = (edit: (doc: typeof original, c: DocControl) => void) => {
    const dir = tempDir();
    const doc = structuredClone(original);
    const c = doc.frameworks
      .find((f) => f.id === failing.fw.id)!
      .controls.find((x) => x.id === failing.control.id)!;
    edit(doc, c);
    writeFileSync(join(dir, "findings.json"), JSON.stringify(doc, null, 2));
    return dir;
  };

  it("a findings.json edited to claim a failing control passes gives a bundle that shows it failing", async () => {
    const dir = tampered((_doc, c) => {
      c.status = "pass";
      c.counts = { pass: c.counts.pass + c.counts.fail, fail: 0, error: 0, waived: 0, not_applicable: 0 };
    });
    const r = await cli(["report", "findings.json", "--out", "rebuilt"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `${failing.fw.id} ${failing.control.id}: document says pass, findings give fail`,
    );
    const rebuilt = readJson(join(dir, "rebuilt", "findings.json"));
    const c = (rebuilt.frameworks as DocFramework[])
      .find((f) => f.id === failing.fw.id)!
      .controls.find((x) => x.id === failing.control.id)!;
    expect(c.status).toBe("fail");
    expect(c.counts).toEqual(failing.control.counts);
    // Every control is exactly what the scan itself rolled up.
    expect(rebuilt.frameworks).toEqual(original.frameworks);
    const md = readFileSync(join(dir, "rebuilt", "report.md"), "utf8");
    const rows = mdRow(md, failing.control);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toContain("Fail");
      expect(row).not.toContain("Pass");
    }
    expect((await verifyBundle(join(dir, "rebuilt"))).ok).toBe(true);
  });

  it("the rebuilt bundle says it was rebuilt, naming the findings file and its SHA-256 (findings.json and manifest)", async () => {
    const dir = tampered(() => {});
    const r = await cli(["report", "findings.json", "--out", "rebuilt"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const digest = createHash("sha256")
      .update(readFileSync(join(dir, "findings.json")))
      .digest("hex");
    const rebuilt = readJson(join(dir, "rebuilt", "findings.json"));
    expect(rebuilt.scan.rebuiltFrom).toEqual({ file: "findings.json", sha256: digest });
    const manifest = readJson(join(dir, "rebuilt", "manifest.json"));
    expect(manifest.rebuiltFrom).toEqual({ file: "findings.json", sha256: digest });
    const v = await cli(["verify", "rebuilt"], dir);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`rebuilt by cipherproof report from findings.json (sha256 ${digest})`);
    // A scan's own findings.json has no such marker.
    expect((original as unknown as { scan: Record<string, unknown> }).scan.rebuiltFrom).toBeUndefined();
  });

  it("a built-in framework's control→policy mapping comes from the catalog, not the document (and stderr says so)", async () => {
    const dir = tampered((_doc, c) => {
      c.policies = [];
      c.status = "no_automated_evidence";
      c.counts = { pass: 0, fail: 0, error: 0, waived: 0, not_applicable: 0 };
    });
    const r = await cli(["report", "findings.json", "--out", "rebuilt"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `warning: framework ${failing.fw.id}: the findings document's control→policy mapping differs from the built-in catalog \\(control ${failing.control.id.replace(/[().]/g, "\\$&")} maps \\[\\] instead of`,
      ),
    );
    const c = (readJson(join(dir, "rebuilt", "findings.json")).frameworks as DocFramework[])
      .find((f) => f.id === failing.fw.id)!
      .controls.find((x) => x.id === failing.control.id)!;
    expect(c.status).toBe("fail");
    expect(c.policies).toEqual(failing.control.policies);
  });

  it("a framework that is not built in keeps the document's mapping, rolled up from the findings, with a warning", async () => {
    const failedPolicy = original.findings.find((f) => f.status === "fail")!.policyId;
    const dir = tampered((doc) => {
      doc.frameworks.push({
        id: "house-rules",
        title: "House rules",
        version: "1",
        controls: [
          {
            id: "HR-1",
            title: "Everything encrypted",
            status: "pass",
            counts: { pass: 1, fail: 0, error: 0, waived: 0, not_applicable: 0 },
            policies: [failedPolicy],
          },
        ],
      });
    });
    const r = await cli(["report", "findings.json", "--out", "rebuilt"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("framework house-rules is not built in");
    expect(r.stderr).toContain("house-rules HR-1: document says pass, findings give fail");
    const rebuilt = readJson(join(dir, "rebuilt", "findings.json"));
    const hr = (rebuilt.frameworks as DocFramework[]).find((f) => f.id === "house-rules")!;
    expect(hr.controls[0].status).toBe("fail");
    expect(hr.controls[0].policies).toEqual([failedPolicy]);
    // Findings of that policy now reference the control.
    const f = rebuilt.findings.find((x: { policyId: string }) => x.policyId === failedPolicy);
    expect(f.controls["house-rules"]).toEqual(["HR-1"]);
  });
});
