import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { Fleet, need, Pki, tempDir } from "./support.js";

const ready = [need("openssl")].every(Boolean);

describe.skipIf(!ready)("cipherproof scan --endpoints, as a new user runs it", () => {
  const fleet = new Fleet();
  let dir: string;
  let pki: Pki;
  let strong: number;
  let weak: number;

  beforeAll(async () => {
    dir = tempDir("cipherproof-epcli-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    const cert = pki.leaf();
    strong = await fleet.sServer(["-cipher", "ECDHE+AESGCM:@SECLEVEL=0", "-no_tls1", "-no_tls1_1"], cert);
    weak = await fleet.sServer(["-tls1", "-cipher", "ALL:@SECLEVEL=0"], cert);
  }, 60_000);
  afterAll(() => fleet.stop());

  it("gives a readable verdict for https://localhost:PORT --ca-file ca.pem", () => {
    const r = runCli(
      [
        "scan",
        "--endpoints",
        `https://localhost:${strong}`,
        "--ca-file",
        pki.ca,
        "--out",
        join(dir, "out1"),
        "--format",
        "console,json",
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe("");
    // s_server sends no HSTS header: the one failure, explained in the endpoint's own words.
    expect(r.stdout).toMatch(/endpoint-http-hsts-enabled/);
    expect(r.stdout).toMatch(/hstsMaxAgeSeconds: expected an integer, found null/);
    expect(r.stdout).not.toMatch(/endpoint-tls-certificate-trusted|endpoint-tls-protocol-min-tls12/);
    expect(r.stdout).toMatch(/sources: endpoints/);
    expect(r.code).toBe(1);
  });

  it("reads an endpoints file (YAML) with SNI, hostname and name; the TLS 1.0 server fails", () => {
    const file = join(dir, "endpoints.yaml");
    writeFileSync(
      file,
      `- target: 127.0.0.1:${weak}\n  sni: localhost\n  hostname: localhost\n  name: legacy-api\n`,
    );
    const r = runCli(
      ["scan", "--endpoints", "endpoints.yaml", "--ca-file", pki.ca, "--out", "-", "--format", "json"],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      findings: Array<{ policyId: string; status: string; resource: { name: string } }>;
    };
    const failed = out.findings.filter((f) => f.status === "fail").map((f) => f.policyId);
    expect(failed).toContain("endpoint-tls-protocol-min-tls12");
    expect(failed).toContain("endpoint-tls-no-weak-cipher-suites");
    expect(out.findings.every((f) => f.resource.name === "legacy-api")).toBe(true);
  });

  it("--tls-profile mozilla-intermediate adds the profile's policies", () => {
    const r = runCli(
      [
        "scan",
        "--endpoints",
        `https://localhost:${strong}`,
        "--ca-file",
        pki.ca,
        "--tls-profile",
        "mozilla-intermediate",
        "--out",
        "-",
        "--format",
        "json",
      ],
      { cwd: dir },
    );
    const out = JSON.parse(r.stdout) as { findings: Array<{ policyId: string; status: string }> };
    const ids = new Set(out.findings.map((f) => f.policyId));
    expect(ids.has("mozilla-intermediate-protocols")).toBe(true);
    expect(ids.has("mozilla-intermediate-cipher-suites")).toBe(true);
    expect(out.findings.find((f) => f.policyId === "mozilla-intermediate-protocols")?.status).toBe("pass");
  });

  it("refuses secrets in target URLs (exit 2) and never prints or stores them", () => {
    const secret = "hunter2-s3cr3t";
    const out = join(dir, "out-secret");
    writeFileSync(join(dir, "secret.yaml"), `- https://localhost:${strong}/?access_token=${secret}\n`);
    for (const targets of [
      [`postgres://localhost:${strong}/db?user=app&password=${secret}`],
      [`https://localhost:${strong}`, `https://localhost:${strong}/status?api_key=${secret}`],
      ["secret.yaml"],
    ]) {
      const r = runCli(["scan", "--endpoints", ...targets, "--ca-file", pki.ca, "--out", out], { cwd: dir });
      expect(r.code, targets.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/query parameter "(password|api_key|access_token)"/);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const written = existsSync(out) ? readdirSync(out, { recursive: true, withFileTypes: true }) : [];
      for (const f of written.filter((e) => e.isFile()))
        expect(readFileSync(join(f.parentPath, f.name), "latin1")).not.toContain(secret);
    }
  });

  it("names the real problem: a CA file without certificates, an endpoints file that does not exist", () => {
    writeFileSync(
      join(dir, "not-a-ca.pem"),
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    const noCa = runCli(["scan", "--endpoints", `https://localhost:${strong}`, "--ca-file", "not-a-ca.pem"], {
      cwd: dir,
    });
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toMatch(/--ca-file contains no PEM certificate/);
    const missing = runCli(["scan", "--endpoints", "nosuchfile.yaml"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/endpoints file not found/);
    expect(missing.stderr).not.toMatch(/needs a port/);
  });

  it("a tarpit gives error findings and exit 1 within the read timeout; bad input is exit 2 without a stack", async () => {
    const tarpit = await fleet.tcp((s) => s.on("error", () => {}));
    const started = Date.now();
    const r = runCli(
      [
        "scan",
        "--endpoints",
        `127.0.0.1:${tarpit}`,
        "--read-timeout",
        "1000",
        "--out",
        "-",
        "--format",
        "json",
      ],
      { cwd: dir },
    );
    expect(Date.now() - started).toBeLessThan(8000);
    const out = JSON.parse(r.stdout) as { findings: Array<{ status: string }> };
    expect(out.findings.length).toBeGreaterThan(0);
    expect(out.findings.every((f) => f.status === "error")).toBe(true);
    expect(r.code).toBe(1);

    for (const args of [
      ["--endpoints", "nohostport"],
      ["--endpoints", "https://a:pw@x.test"],
      ["--endpoints", "https://x.test", "--tls-profile", "nope"],
      ["--endpoints", "x.test:1", "--read-timeout", "soon"],
    ]) {
      const bad = runCli(["scan", ...args], { cwd: dir });
      expect(bad.code, args.join(" ")).toBe(2);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
      expect(bad.stderr).not.toContain("pw@");
    }
  });
});
