import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderJson } from "../../src/reporters/json.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "../reporters/fixtures.js";
import { startKmsStub } from "../support/aws-kms-stub.js";
import { BIN, filesIn, ROOT, runCli, tempDir } from "../support/cli.js";

/** Run the CLI without blocking the event loop (the KMS stand-in runs in this process). */
function runCliAsync(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => ok({ code, stdout, stderr }));
  });
}

// The real CLI (built dist/) as a user runs it: scan the example, report, verify, decrypt.
describe("cipherproof scan --out / report / verify / decrypt", () => {
  let result: ScanResult;
  let findingsFile: string;
  beforeAll(async () => {
    result = await sampleScan();
    findingsFile = join(tempDir(), "findings.json");
    writeFileSync(findingsFile, renderJson(result));
  });

  const example = join(ROOT, "examples", "healthcare-saas");
  const exampleScan = (out: string, extra: string[] = []) =>
    runCli(
      [
        "scan",
        "--snapshot",
        example,
        "--config",
        join(example, "cipherproof.config.yaml"),
        "--out",
        out,
        ...extra,
      ],
      { cwd: join(out, "..") },
    );

  it("the example scan's bundle verifies; one changed byte, a removed or an added file makes verify fail naming it", () => {
    expect(existsSync(example)).toBe(true);
    const out = join(tempDir(), "reports");
    const r = exampleScan(out);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/evidence bundle: .*manifest signed with Ed25519/);
    for (const f of [
      "report.html",
      "report.md",
      "findings.json",
      "findings.csv",
      "results.sarif",
      "junit.xml",
      "manifest.json",
      "manifest.sig",
    ])
      expect(filesIn(out)).toContain(f);
    expect(filesIn(out).some((f) => f.startsWith("evidence/") && f.endsWith(".json"))).toBe(true);

    const ok = runCli(["verify", out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^verified: /);

    const html = join(out, "report.html");
    const bytes = readFileSync(html);
    bytes[bytes.length - 10] ^= 0x20;
    writeFileSync(html, bytes);
    const changed = runCli(["verify", out]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/FAILED changed: report\.html/);
    bytes[bytes.length - 10] ^= 0x20;
    writeFileSync(html, bytes);
    expect(runCli(["verify", out]).code).toBe(0);

    const csv = readFileSync(join(out, "findings.csv"));
    unlinkSync(join(out, "findings.csv"));
    const removed = runCli(["verify", out]);
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/FAILED removed: findings\.csv/);
    writeFileSync(join(out, "findings.csv"), csv);

    writeFileSync(join(out, "notes.txt"), "added later");
    const added = runCli(["verify", out]);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/FAILED added: notes\.txt/);
  });

  it("scan --out - streams findings JSON to stdout and writes no bundle; --format limits the bundle", () => {
    const dir = tempDir();
    const r = runCli(["scan", "--snapshot", example, "--out", "-"], { cwd: dir });
    expect(JSON.parse(r.stdout).schemaVersion).toBe("1.0");
    expect(filesIn(dir)).toEqual([]);
    const bad = runCli(["scan", "--snapshot", example, "--out", "-", "--format", "html"], { cwd: dir });
    expect(bad.code).toBe(2);
    const out = join(dir, "only-sarif");
    runCli(["scan", "--snapshot", example, "--out", out, "--format", "console,sarif"], { cwd: dir });
    expect(filesIn(out).sort()).toEqual([
      "manifest.json",
      "manifest.pub.pem",
      "manifest.sig",
      "results.sarif",
    ]);
    expect(runCli(["verify", out]).code).toBe(0);
  });

  it("report rebuilds a verifiable bundle from a findings file, signed with --signing-key and checked with --public-key", () => {
    const dir = tempDir();
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(dir, "sign.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "sign.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const r = runCli(["report", findingsFile, "--out", "rebuilt", "--signing-key", "sign.pem"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(filesIn(join(dir, "rebuilt")).sort()).toEqual(
      [
        "findings.csv",
        "findings.json",
        "junit.xml",
        "manifest.json",
        "manifest.pub.pem",
        "manifest.sig",
        "report.html",
        "report.md",
        "results.sarif",
      ].sort(),
    );
    const html = readFileSync(join(dir, "rebuilt", "report.html"), "utf8");
    expect(html).toContain("rds:DescribeDBInstances");
    expect(html).toContain("AccessDenied on rds:DescribeDBParameters");
    const rebuilt = JSON.parse(readFileSync(join(dir, "rebuilt", "findings.json"), "utf8"));
    expect(rebuilt.findings).toEqual(JSON.parse(readFileSync(findingsFile, "utf8")).findings);
    const manifest = JSON.parse(readFileSync(join(dir, "rebuilt", "manifest.json"), "utf8"));
    expect(manifest.notes[0]).toMatch(
      /rebuilt by cipherproof report from findings.json \(sha256 [0-9a-f]{64}\)/,
    );
    const v = runCli(["verify", "rebuilt", "--public-key", "sign.pub"], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/checked with the public key given with --public-key/);
    expect(v.stderr).toBe("");
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" });
    writeFileSync(join(dir, "other.pub"), other);
    const wrong = runCli(["verify", "rebuilt", "--public-key", "other.pub"], { cwd: dir });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/FAILED signature: manifest\.json/);
  });

  it("report validates the findings document", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "v2.json"),
      JSON.stringify({ ...JSON.parse(renderJson(result)), schemaVersion: "2.0" }),
    );
    const v2 = runCli(["report", "v2.json", "--out", "x"], { cwd: dir });
    expect(v2.code).toBe(2);
    expect(v2.stderr).toMatch(
      /error\[FINDINGS_INVALID\] .*v2\.json at \/schemaVersion: findings schemaVersion 2\.0 is not supported/,
    );
    const doc = JSON.parse(renderJson(result));
    delete doc.findings[0].status;
    writeFileSync(join(dir, "broken.json"), JSON.stringify(doc));
    const broken = runCli(["report", "broken.json", "--out", "x"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('at /findings/0: missing required field "status"');
    expect(filesIn(join(dir, "x"))).toEqual([]);
  });

  it("an encrypted bundle round-trips through the CLI; a wrong key exits 2 with a clear message and writes nothing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bundle.key"), randomBytes(32));
    writeFileSync(join(dir, "wrong.key"), randomBytes(32));
    const w = runCli(["report", findingsFile, "--out", "enc", "--encrypt-with", "file:bundle.key"], {
      cwd: dir,
    });
    expect(w.code, w.stderr).toBe(0);
    expect(
      filesIn(join(dir, "enc"))
        .filter((f) => !f.startsWith("manifest."))
        .every((f) => f.endsWith(".enc")),
    ).toBe(true);
    expect(runCli(["verify", "enc"], { cwd: dir }).code).toBe(0);
    const bad = runCli(["decrypt", "enc", "--key", "file:wrong.key", "--out", "plain"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /error\[KEY_INVALID\] .*wrong\.key: wrong key: the bundle was encrypted with key fingerprint/,
    );
    expect(existsSync(join(dir, "plain"))).toBe(false);
    const good = runCli(["decrypt", "enc", "--key", "file:bundle.key", "--out", "plain"], { cwd: dir });
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^decrypted 6 files to plain/);
    expect(JSON.parse(readFileSync(join(dir, "plain", "findings.json"), "utf8")).scan.id).toBe(result.scanId);
    appendFileSync(join(dir, "enc", "report.md.enc"), "x");
    const tampered = runCli(["decrypt", "enc", "--key", "file:bundle.key", "--out", "plain2"], { cwd: dir });
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/FAILED changed: report\.md\.enc/);
  });

  it("signs with a KMS key and verifies with KMS Verify, via AWS_ENDPOINT_URL (real SDK, local KMS stand-in)", async () => {
    const kms = await startKmsStub();
    try {
      const keyArn = kms.createKey("ECC_NIST_P256", "evidence-signing");
      const dataKey = kms.createKey("SYMMETRIC_DEFAULT", "evidence-data");
      const env = {
        AWS_ENDPOINT_URL: kms.endpoint,
        AWS_REGION: kms.region,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        AWS_PROFILE: "",
      };
      const dir = tempDir();
      const args = [
        "report",
        findingsFile,
        "--out",
        "kms",
        "--signing-key",
        "kms:alias/evidence-signing",
        "--encrypt-with",
        "kms:alias/evidence-data",
      ];
      const w = await runCliAsync(args, { cwd: dir, env });
      expect(w.code, w.stderr).toBe(0);
      expect(w.stdout).toMatch(/manifest signed with ECDSA_SHA_256 via KMS arn:aws:kms:/);
      const v = await runCliAsync(["verify", "kms", "--public-key", `kms:${keyArn}`], { cwd: dir, env });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/checked with KMS Verify with key arn:aws:kms:/);
      const d = await runCliAsync(["decrypt", "kms", "--key", `kms:${dataKey}`, "--out", "plain"], {
        cwd: dir,
        env,
      });
      expect(d.code, d.stderr).toBe(0);
      expect(filesIn(join(dir, "plain"))).toContain("report.html");
      expect(kms.calls.map((c) => c.op)).toEqual(
        expect.arrayContaining(["GetPublicKey", "Sign", "GenerateDataKey", "Verify", "Decrypt"]),
      );
    } finally {
      await kms.close();
    }
  });

  it("an encrypted bundle with SIEM targets needs a spool folder outside it: no plaintext copy inside", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bundle.key"), randomBytes(32));
    const args = ["scan", "--snapshot", join(ROOT, "examples/healthcare-saas"), "--out", "enc"];
    const siem = ["--encrypt-with", "file:bundle.key", "--siem", "ocsf@syslog+tls://127.0.0.1:9"];
    const refused = runCli([...args, ...siem], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/spooled unencrypted in enc\/\.spool[\s\S]*--siem-spool DIR/);
    expect(existsSync(join(dir, "enc"))).toBe(false);
    const ok = runCli([...args, ...siem, "--siem-spool", "spool"], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(1);
    expect(existsSync(join(dir, "enc", ".spool"))).toBe(false);
    expect(filesIn(join(dir, "spool")).some((f) => f.endsWith(".ndjson"))).toBe(true);
  });

  it("usage errors exit 2", () => {
    const dir = tempDir();
    expect(runCli(["verify"], { cwd: dir }).code).toBe(2);
    expect(runCli(["verify", "nope"], { cwd: dir }).code).toBe(2);
    expect(runCli(["verify", ".", "--bogus"], { cwd: dir }).code).toBe(2);
    expect(runCli(["decrypt", "x", "--out", "y"], { cwd: dir }).stderr).toMatch(/--key is required/);
    expect(runCli(["decrypt", "x", "--key", "aes:1", "--out", "y"], { cwd: dir }).stderr).toMatch(
      /kms:KEY_ID or file:PATH/,
    );
    expect(runCli(["report"], { cwd: dir }).code).toBe(2);
    expect(runCli(["report", "f.json", "--format", "evidence"], { cwd: dir }).code).toBe(2);
    const verifyEmpty = runCli(["verify", "."], { cwd: dir });
    expect(verifyEmpty.code).toBe(1);
    expect(verifyEmpty.stderr).toMatch(/manifest\.json/);
  });
});
