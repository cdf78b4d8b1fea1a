// Usage guards of the SIEM flags: a stdout target cannot share stdout with `--out -`, and no message echoes a
// secret someone put in a SIEM URL (query values, userinfo).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CipherproofError } from "../../src/core/errors.js";
import { checkSiemFlags } from "../../src/siem/cli.js";
import { parseTarget, redactSiemUrl } from "../../src/siem/spec.js";
import { ROOT } from "../support/cli.js";
import { recordingIO } from "./support/io.js";

const EXAMPLE = join(ROOT, "examples", "healthcare-saas");

async function cli(args: string[]) {
  const io = recordingIO({ NO_COLOR: "1" });
  const code = await main(args, io);
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

describe("--out - with a stdout SIEM target", () => {
  it.each(["ocsf@stdout", "ecs@-", "cef@file:-"])(
    "scan --out - --siem %s is a usage error (exit 2) before scanning: nothing on stdout",
    async (spec) => {
      const r = await cli(["scan", "--snapshot", EXAMPLE, "--out", "-", "--siem", spec]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("error[USAGE]");
      expect(r.stderr).toContain("--out - already uses for the findings JSON");
    },
  );

  it("a stdout target in the config file with --out - is a usage error before anything is written", async () => {
    const io = recordingIO({ NO_COLOR: "1" });
    const config = join(io.cwd, "cipherproof.config.json");
    writeFileSync(config, JSON.stringify({ siem: { targets: ["ocsf@stdout"] } }));
    const code = await main(["scan", "--snapshot", EXAMPLE, "--config", config, "--out", "-"], io);
    expect(code).toBe(2);
    expect(io.out.join("")).toBe("");
    expect(io.err.join("")).toContain("--out - already uses for the findings JSON");
  });

  it("a stdout target with --out DIR, or a file target with --out -, is fine", () => {
    expect(() => checkSiemFlags({ siem: ["ocsf@stdout"] }, "/w", "reports")).not.toThrow();
    expect(() => checkSiemFlags({ siem: ["ocsf@file:e.ndjson"] }, "/w", "-")).not.toThrow();
    expect(() => checkSiemFlags({ siem: ["ocsf@stdout"] }, "/w", "-")).toThrow(CipherproofError);
  });
});

describe("SIEM URLs in messages are redacted", () => {
  it("redactSiemUrl hides query values, userinfo and fragments but keeps the rest", () => {
    expect(redactSiemUrl("ocsf@hec:https://splunk:8088/idx?api_key=s3cr3t&x=1")).toBe(
      "ocsf@hec:https://splunk:8088/idx?api_key=[redacted]&x=[redacted]",
    );
    expect(redactSiemUrl("ecs@elastic:https://u:p4ss@es:9200/i#tok")).toBe(
      "ecs@elastic:https://[redacted]@es:9200/i#[redacted]",
    );
    expect(redactSiemUrl("ocsf@hec:https://h:8088/x?s3cr3t")).toBe("ocsf@hec:https://h:8088/x?[redacted]");
    expect(redactSiemUrl("ocsf@file:/tmp/e.ndjson")).toBe("ocsf@file:/tmp/e.ndjson");
    expect(redactSiemUrl("ocsf@hec:https:/u:p@h")).toBe("ocsf@hec:[redacted]");
    expect(redactSiemUrl("https:\\\\h?token=x")).toBe("https:[redacted]");
    expect(redactSiemUrl("ocsf@syslog+tls://siem:6514")).toBe("ocsf@syslog+tls://siem:6514");
  });

  it.each([
    ["ocsf@hec:https://splunk:8088/idx?api_key=SECRET-TOKEN-1", /query/],
    ["ecs@elastic:https://es:9200/idx?api_key=SECRET-TOKEN-1", /query/],
    ["ocsf@hec:https://user:SECRET-TOKEN-1@splunk:8088", /credentials/],
    ["ocsf@hec:http://splunk:8088/?token=SECRET-TOKEN-1", /https/],
    ["ocsf@hec:https://[bad?token=SECRET-TOKEN-1", /not a URL/],
    ["ocsf@kafka://broker?token=SECRET-TOKEN-1", /unknown sink/],
    ["ocsf@syslog+tls://h:6514?token=SECRET-TOKEN-1", /expected syslog/],
    // Forms a URL parser still reads as a URL with userinfo or a query, and a mistyped URL.
    ["ocsf@hec:https:/SECRET-TOKEN-1@splunk:8088", /credentials/],
    ["ocsf@hec:https:\\\\SECRET-TOKEN-1@splunk:8088", /credentials/],
    ["ocsf@hec:HTTPS:/splunk:8088?token=SECRET-TOKEN-1", /query/],
    ["ocsf@elastic:https:/u:SECRET-TOKEN-1@es/idx", /credentials/],
    ["ocsf@hec:https:///u:SECRET-TOKEN-1@splunk", /credentials/],
    ["ocsf@hec:https//u:SECRET-TOKEN-1@splunk", /not a URL/],
    ["ocsf@hec:https://a b:SECRET-TOKEN-1@splunk", /credentials|not a URL/],
  ])("%s: the error never shows the secret", async (spec, message) => {
    expect(() => parseTarget(spec, "/")).toThrow(message);
    try {
      parseTarget(spec, "/");
    } catch (err) {
      expect(`${(err as CipherproofError).message} ${(err as CipherproofError).hint ?? ""}`).not.toContain(
        "SECRET-TOKEN-1",
      );
    }
    const r = await cli(["scan", "--snapshot", EXAMPLE, "--out", "-", "--siem", spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("SECRET-TOKEN-1");
    expect(r.stdout).not.toContain("SECRET-TOKEN-1");
  });
});
