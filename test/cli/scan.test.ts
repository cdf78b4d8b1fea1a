import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../src/core/ajv.js";
import { filesIn, ROOT, runCli, tempDir } from "../support/cli.js";

const EXAMPLE = join(ROOT, "examples", "healthcare-saas");
const AS_OF = "2026-11-22T12:00:00Z";

interface FindingLike {
  id: string;
  policyId: string;
  resourceId: string;
  status: string;
  severity: string;
  details: Array<{ property: string; expected: string; found: string }>;
  waiver?: { expired: boolean; ticket: string };
  resource: { name: string };
}

function scanExample(extra: string[] = []) {
  const out = tempDir();
  const r = runCli(["scan", "--snapshot", EXAMPLE, "--as-of", AS_OF, "--out", out, ...extra]);
  const doc = filesIn(out).includes("findings.json")
    ? JSON.parse(readFileSync(join(out, "findings.json"), "utf8"))
    : undefined;
  return { ...r, doc, findings: (doc?.findings ?? []) as FindingLike[] };
}

describe("cipherproof scan on the bundled example", () => {
  const base = scanExample();

  it("exits 1 and lists failures with resource and reason", () => {
    expect(base.code, base.stderr).toBe(1);
    expect(base.stdout).toMatch(/Failures \(\d+\)/);
    expect(base.stdout).toContain("rds-instance-storage-encrypted  medledger-legacy-reports");
    expect(base.stdout).toContain("storageEncrypted: expected true, found false");
    // The verdict counts what the exit code counts: failures and (errors not being allowed) error findings.
    expect(base.stdout).toContain(
      "FAIL: 30 failures and 27 findings that could not be evaluated at or above info",
    );
    expect(base.stdout).not.toContain("\u001b["); // no colour when not a TTY
  });

  it("writes a findings document that validates against the published schema", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "docs", "findings.schema.json"), "utf8"));
    const validate = createAjv({ allErrors: true }).compile(schema);
    expect(validate(base.doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(base.doc.schemaVersion).toBe("1.0");
    expect(base.doc.scan.sources[0].files).toHaveLength(2);
    expect(base.doc.scan.sources[0].unsupportedTypes).toMatchObject({
      "AWS::EC2::SecurityGroup": 3,
      "AWS::Lambda::Function": 2,
    });
  });

  it("covers all four categories with passes and failures", () => {
    for (const cat of ["at-rest", "in-transit", "key-management", "logging"]) {
      expect(base.doc.summary.byCategory[cat].pass + base.doc.summary.byCategory[cat].fail).toBeGreaterThan(
        0,
      );
    }
    expect(base.doc.summary.byStatus.fail).toBeGreaterThan(10);
    expect(base.doc.summary.byStatus.pass).toBeGreaterThan(10);
  });

  it("never passes a rotation policy from a snapshot: rotation periods are not in snapshots", () => {
    const rotation = base.findings.filter((f) => f.policyId === "kms-key-rotation-enabled");
    expect(rotation.length).toBeGreaterThan(0);
    expect(rotation.filter((f) => f.status === "pass")).toEqual([]);
    const errors = rotation.filter((f) => f.status === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const f of errors)
      expect(f.details[0].found).toMatch(/missing: .*not recorded by AWS Config snapshots/);
  });

  it("gives stable finding ids across runs", () => {
    const again = scanExample();
    expect(again.findings.map((f) => f.id)).toEqual(base.findings.map((f) => f.id));
    expect(new Set(base.findings.map((f) => f.id)).size).toBe(base.findings.length);
  });

  it("--allow-errors changes only the exit code", () => {
    // Only policies whose evidence a snapshot cannot carry: every finding is an error, none a failure.
    const dir = tempDir();
    const config = join(dir, "errors-only.json");
    writeFileSync(
      config,
      JSON.stringify({
        policies: { enable: ["rds-instance-force-ssl", "cloudtrail-trail-logging-enabled"] },
      }),
    );
    const strict = scanExample(["--config", config, "--fail-on", "high"]);
    expect(strict.code).toBe(1); // missing evidence is not a pass
    expect(strict.stdout).toMatch(/FAIL: \d+ findings? that could not be evaluated at or above high/);
    const allowed = scanExample(["--config", config, "--fail-on", "high", "--allow-errors"]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/PASS: no violations at or above high \(\d+ errors? allowed\)/);
    const strip = (fs: FindingLike[]) => fs.map((f) => [f.id, f.status, f.details]);
    expect(strip(allowed.findings)).toEqual(strip(strict.findings));
    expect(allowed.doc.summary).toEqual(strict.doc.summary);
    expect(allowed.doc.summary.byStatus.error).toBeGreaterThan(0);
  });

  it("with --baseline the console verdict follows the baseline gate, not the raw violations", () => {
    const dir = tempDir();
    const baselineFile = join(dir, "baseline.json");
    writeFileSync(baselineFile, JSON.stringify(base.doc));
    const same = scanExample(["--baseline", baselineFile]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain(
      "PASS: no new violations at or above info; 57 already in the baseline (reported, not counted)",
    );
    expect(same.stdout).not.toMatch(/^FAIL/m);
    // A baseline without the failures: every violation is new, and the verdict says so.
    writeFileSync(
      baselineFile,
      JSON.stringify({
        ...base.doc,
        findings: base.doc.findings.filter((f: FindingLike) => f.status === "pass"),
      }),
    );
    const fresh = scanExample(["--baseline", baselineFile]);
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toContain(
      "FAIL: 30 new failures and 27 new findings that could not be evaluated at or above info; 0 already in the baseline",
    );
  });

  it("errors count only at or above --fail-on, like failures", () => {
    // The example has no critical policy: nothing, failure or error, is at or above critical.
    const critical = scanExample(["--fail-on", "critical"]);
    expect(critical.code).toBe(0);
    expect(critical.doc.summary.byStatus.error).toBeGreaterThan(0);
    expect(critical.stdout).toContain("PASS: no violations at or above critical");
  });

  it("applies waivers; an expired waiver is reported and its finding fails", () => {
    const r = scanExample(["--config", join(EXAMPLE, "cipherproof.config.yaml")]);
    expect(r.code).toBe(1);
    const waived = r.findings.filter((f) => f.status === "waived");
    expect(waived.length).toBeGreaterThan(0);
    expect(waived.every((f) => f.waiver?.ticket === "SEC-1042" && !f.waiver.expired)).toBe(true);
    const expired = r.findings.filter((f) => f.waiver?.expired);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.every((f) => f.status === "fail" && f.waiver?.ticket === "SEC-0977")).toBe(true);
    expect(r.stdout).toContain("Waiver expired: s3-bucket-default-encryption-kms");
    expect(r.doc.waivers.find((w: { ticket: string }) => w.ticket === "SEC-0977").state).toBe("expired");
    // severity override and parameter override from the config
    expect(r.findings.find((f) => f.policyId === "kms-key-rotation-enabled")?.severity).toBe("critical");
    expect(
      r.doc.policies.find((p: { id: string }) => p.id === "logs-log-group-retention-minimum").parameters,
    ).toEqual({ minRetentionDays: 400 });
  });

  it("accepts waivers for policies this run does not load (a profile not added, the pack left out)", () => {
    const dir = tempDir();
    const waiver = (policy: string) => ({
      policy,
      resource: "*",
      reason: "accepted risk",
      owner: "sec@example.test",
      ticket: "SEC-1",
      expires: "2027-01-31",
    });
    writeFileSync(
      join(dir, "cipherproof.config.json"),
      JSON.stringify({ waivers: [waiver("mozilla-intermediate-*"), waiver("ec2-volume-encrypted")] }),
    );
    // The profile's policies are not loaded without --tls-profile; the waiver simply matches nothing here.
    const r = scanExample(["--config", join(dir, "cipherproof.config.json")]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.doc.waivers.find((w: { policy: string }) => w.policy === "mozilla-intermediate-*").matched).toBe(
      0,
    );
    // With the pack left out, the waiver for a built-in policy is not a typo either.
    const pol = join(dir, "pol");
    mkdirSync(pol);
    writeFileSync(
      join(pol, "custom-volume-encrypted.json"),
      JSON.stringify({
        id: "custom-volume-encrypted",
        title: "Volumes are encrypted (custom)",
        category: "at-rest",
        severity: "high",
        resourceType: "aws.ec2.volume",
        description: "d",
        rationale: "r",
        remediation: "f",
        assert: { required: ["encrypted"], properties: { encrypted: { const: true } } },
        message: "{{name}} is not encrypted",
      }),
    );
    const own = scanExample([
      "--config",
      join(dir, "cipherproof.config.json"),
      "--no-builtin",
      "--policies",
      pol,
    ]);
    expect(own.code, own.stderr).toBe(1);
  });

  it("rolls framework controls up from findings, never claiming a pass without evidence", () => {
    const hipaa = base.doc.frameworks.find((f: { id: string }) => f.id === "hipaa");
    expect(hipaa).toBeDefined();
    const statuses = new Set(hipaa.controls.map((c: { status: string }) => c.status));
    expect(statuses.has("fail")).toBe(true);
    for (const c of hipaa.controls) {
      if (c.policies.length === 0) expect(c.status).toBe("no_automated_evidence");
    }
  });

  it("--out - streams the findings document to stdout and the console summary to stderr", () => {
    const r = runCli(["scan", "--snapshot", EXAMPLE, "--as-of", AS_OF, "--out", "-"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).schemaVersion).toBe("1.0");
    expect(r.stderr).toContain("Failures (");
  });
});

describe("README", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("names exactly the command CI runs", () => {
    const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8")
      .trim()
      .split("\n")
      .at(-1)!;
    expect(readme).toContain(ci);
  });

  it("its worked policy example loads, explains and runs", () => {
    const block = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .find((b) => b.includes('"rds-instance-backups-retained"'))!;
    const dir = tempDir();
    mkdirSync(join(dir, "my-policies"));
    writeFileSync(join(dir, "my-policies", "rds-instance-backups-retained.json"), block);
    const v = runCli(["policies", "validate", "--policies", "my-policies"], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    const e = runCli(["policies", "explain", "rds-instance-backups-retained", "--policies", "my-policies"], {
      cwd: dir,
    });
    expect(e.stdout).toContain("minDays = 14");
    const s = runCli(
      ["scan", "--snapshot", EXAMPLE, "--policies", "my-policies", "--out", "-", "--format", "json"],
      { cwd: dir },
    );
    const findings = JSON.parse(s.stdout).findings as FindingLike[];
    expect(findings.filter((f) => f.policyId === "rds-instance-backups-retained").length).toBeGreaterThan(0);
  });

  it("its example config is valid", () => {
    const r = runCli(["policies", "validate", "--config", join(EXAMPLE, "cipherproof.config.yaml")]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("cipherproof policies", () => {
  it("lists the pack", () => {
    const r = runCli(["policies", "list", "--json"]);
    const list = JSON.parse(r.stdout) as Array<{ id: string; category: string }>;
    expect(list.length).toBeGreaterThanOrEqual(25);
    expect(new Set(list.map((p) => p.category))).toEqual(
      new Set(["at-rest", "in-transit", "key-management", "logging"]),
    );
  });

  it("validates the pack and frameworks", () => {
    const r = runCli(["policies", "validate"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok: \d+ policies and 4 frameworks/);
  });

  it("explains a policy with its parameters and controls", () => {
    const r = runCli(["policies", "explain", "kms-key-rotation-enabled"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("maxRotationDays = 365");
    expect(r.stdout).toMatch(/Controls: .*hipaa/);
  });

  it("lists a resource type's properties", () => {
    const r = runCli(["policies", "types", "aws.kms.key"]);
    expect(r.stdout).toContain("rotationPeriodDays");
  });

  it("prints help and version without loading anything heavy", () => {
    expect(runCli(["--help"]).stdout).toContain("Usage: cipherproof <command>");
    expect(runCli(["scan", "--help"]).stdout).toContain("--snapshot");
    expect(runCli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
