import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "../support/cli.js";
import { makePki, type TestPki } from "./support/certs.js";
import { type HecServer, startHec } from "./support/hec-server.js";
import { freePort } from "./support/rsyslog.js";

const EXAMPLE = join(ROOT, "examples", "healthcare-saas");
const TOKEN = "9f0c1d2e-3b4a-5c6d-7e8f-90a1b2c3d4e5";
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const schema = (n: string) => JSON.parse(readFileSync(join(import.meta.dirname, "ocsf", n), "utf8"));
const validateFinding = ajv.compile(schema("compliance_finding.schema.json"));
const validateScan = ajv.compile(schema("scan_activity.schema.json"));

/** Run the real CLI without blocking this process (test receivers live in it). */
function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CIPHERPROOF_HEC_TOKEN: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function summaryOf(dir: string): { total: number; byStatus: Record<string, number> } {
  return JSON.parse(readFileSync(join(dir, "out", "findings.json"), "utf8")).summary;
}

describe.skipIf(!existsSync(EXAMPLE))("cipherproof scan --siem (end to end, built CLI)", () => {
  it("scan --snapshot examples/healthcare-saas --siem ocsf@file:events.ndjson writes valid OCSF events for every failure", async () => {
    const dir = tempDir();
    const r = await cli(
      ["scan", "--snapshot", EXAMPLE, "--siem", "ocsf@file:events.ndjson", "--out", "out"],
      dir,
    );
    const plain = await cli(["scan", "--snapshot", EXAMPLE, "--out", "plain"], dir);
    expect(r.code).toBe(plain.code); // SIEM delivery never changes the exit code
    const s = summaryOf(dir);
    const lines = readFileSync(join(dir, "events.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(s.byStatus.fail + s.byStatus.error + 2);
    expect(r.stderr).toContain(`siem ocsf@file:events.ndjson: ${lines.length} events delivered`);
    expect(lines[0]).toMatchObject({ class_uid: 6007, activity_id: 1 });
    expect(lines.at(-1)).toMatchObject({
      class_uid: 6007,
      activity_id: 2,
      total: s.total,
      num_detections: s.byStatus.fail,
    });
    for (const e of lines) {
      const v = e.class_uid === 2003 ? validateFinding : validateScan;
      expect(v(e), `${e.metadata.uid}: ${ajv.errorsText(v.errors)}`).toBe(true);
    }
    const uids = lines.map((e) => e.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(
      lines.filter((e) => e.class_uid === 2003).every((e) => e.cloud.account.uid === "111122223333"),
    ).toBe(true);
  });

  it("--siem-events all sends every finding; two targets at once; CEF and ECS lines too", async () => {
    const dir = tempDir();
    const r = await cli(
      [
        "scan",
        "--snapshot",
        EXAMPLE,
        "--out",
        "out",
        "--siem-events",
        "all",
        "--siem",
        "cef@file:cef.log",
        "--siem",
        "ecs@file:ecs.ndjson",
      ],
      dir,
    );
    expect([0, 1]).toContain(r.code);
    const s = summaryOf(dir);
    const cef = readFileSync(join(dir, "cef.log"), "utf8").trim().split("\n");
    const ecs = readFileSync(join(dir, "ecs.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(cef).toHaveLength(s.total + 2);
    expect(ecs).toHaveLength(s.total + 2);
    expect(cef.every((l) => l.startsWith("CEF:0|Cipherproof|Cipherproof|0.1.0|"))).toBe(true);
    expect(ecs.filter((e) => e.event.kind === "state")).toHaveLength(s.total);
  });

  it.each([
    [["--siem", "ocsf"], /expected FORMAT@SINK/],
    [["--siem", "xml@file:x"], /unknown format "xml"/],
    [["--siem", "ocsf@ftp://host"], /unknown sink "ftp:\/\/host"/],
    [["--siem", "ocsf@hec:http://splunk:8088"], /hec needs an https:\/\/ URL/],
    [["--siem", "ocsf@hec:https://user:secret@splunk:8088"], /credentials in the URL are not accepted/],
    [["--siem", "ecs@elastic:https://es:9200"], /elastic needs an index/],
    [["--siem", "cef@syslog://siem:514"], /only syslog over TLS is supported/],
    [["--siem", "ocsf@file:x", "--siem-events", "some"], /--siem-events must be failures or all/],
  ])("a bad spec %j is a usage error: exit 2, message only, nothing scanned", async (args, message) => {
    const dir = tempDir();
    const r = await cli(["scan", "--snapshot", EXAMPLE, "--out", "out", ...args], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[USAGE\]/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain("secret");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  describe("a HEC down during the scan, then `siem flush`", () => {
    let pki: TestPki;
    let hec: HecServer;
    beforeAll(async () => {
      pki = makePki();
      hec = await startHec(pki, { token: TOKEN, down: true });
    });
    afterAll(() => hec.close());

    it("spools, keeps the scan's exit code, and flush delivers every event once; the token is never printed", async () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, "cipherproof.config.json"),
        JSON.stringify({
          output: { dir: "out" },
          siem: {
            caFile: "certs/ca.pem", // relative to the config file
            targets: [
              { target: `ocsf@hec:${hec.url}`, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
            ],
          },
        }),
      );
      mkdirSync(join(dir, "certs"));
      copyFileSync(pki.caFile, join(dir, "certs", "ca.pem"));
      const plain = await cli(["scan", "--snapshot", EXAMPLE, "--out", "plain"], dir);
      const r = await cli(["scan", "--snapshot", EXAMPLE, "--config", "cipherproof.config.json"], dir, {
        CIPHERPROOF_HEC_TOKEN: TOKEN,
      });
      expect(r.code).toBe(plain.code);
      expect(r.stderr).toMatch(/delivery failed, 0 delivered, \d+ kept in .*\.spool.*cipherproof siem flush/);
      expect(r.stderr).toMatch(/HTTP 503, HEC code 9 \(Server is busy\)/);
      const s = summaryOf(dir);
      const count = s.byStatus.fail + s.byStatus.error + 2;

      hec.behaviour.down = false;
      const f = await cli(["siem", "flush", "--config", "cipherproof.config.json"], dir, {
        CIPHERPROOF_HEC_TOKEN: TOKEN,
      });
      expect(f.stderr).toContain(`${count} events delivered (${count} replayed from the spool)`);
      expect(f.code).toBe(0);
      const uids = hec.received.map((x) => (x.envelope.event as { metadata: { uid: string } }).metadata.uid);
      expect(uids).toHaveLength(count);
      expect(new Set(uids).size).toBe(count);
      for (const out of [r.stdout, r.stderr, f.stdout, f.stderr]) expect(out).not.toContain(TOKEN);
    });

    it("flush with nothing reachable exits 1 and keeps the spool", async () => {
      const dir = tempDir();
      const port = await freePort();
      writeFileSync(
        join(dir, "c.json"),
        JSON.stringify({
          siem: { targets: [{ target: `ecs@hec:https://127.0.0.1:${port}`, retry: { attempts: 1 } }] },
        }),
      );
      await cli(["scan", "--snapshot", EXAMPLE, "--config", "c.json", "--out", "out"], dir, {
        CIPHERPROOF_HEC_TOKEN: TOKEN,
      });
      const f = await cli(["siem", "flush", "--out", "out", "--siem-ca-file", pki.caFile], dir, {
        CIPHERPROOF_HEC_TOKEN: TOKEN,
      });
      expect(f.code).toBe(1);
      expect(f.stderr).toMatch(/ECONNREFUSED/);
      expect(f.stderr).toMatch(/kept in .*\.spool/);
    });
  });

  it("siem without a subcommand prints help and exits 2; an unknown subcommand is a usage error", async () => {
    const dir = tempDir();
    const a = await cli(["siem"], dir);
    expect(a.code).toBe(2);
    expect(a.stdout).toContain("cipherproof siem flush");
    const b = await cli(["siem", "push"], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown subcommand "push"/);
  });
});
