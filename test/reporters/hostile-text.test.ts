import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/action/main.js";
import { CipherproofError, formatError } from "../../src/core/errors.js";
import { printable, withoutWorkflowCommands } from "../../src/core/printable.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { renderConsole } from "../../src/reporters/console.js";
import { mdEscape, renderMarkdown } from "../../src/reporters/markdown.js";
import { scan } from "../../src/scan.js";
import { rfc5424Finding, sdValue } from "../../src/siem/formats/rfc5424.js";
import { simulatedRunner } from "../action/runner.js";
import { TEST_POLICY } from "../support/policy-fixture.js";
import { NOW } from "./fixtures.js";

// Whoever can name a cloud resource controls these strings: they must not act on a terminal, a CI runner or a
// line-oriented log.
const ESCAPES = "x\u001b[2K\u001b[1A\rPASS\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007";
const FORGED_LINE = "x\n::stop-commands::pwned\n::notice title=Cipherproof::0 violations";
const LEADING_COMMAND = "::add-mask::x";
const BIDI = "abc\u202edcba\u2066";

function rds(name: string): ResourceDocument {
  return {
    type: "aws.rds.db_instance",
    id: `arn:aws:rds:us-east-1:111122223333:db:${name}`,
    name,
    provider: "aws",
    account: "111122223333",
    region: "us-east-1\n::warning::region",
    source: "aws-api",
    collectedAt: NOW.toISOString(),
    properties: { engine: "postgres", storageEncrypted: false },
  };
}

const hostileScan = () =>
  scan({ resources: [ESCAPES, FORGED_LINE, LEADING_COMMAND, BIDI].map(rds), now: NOW });

/** Lines a GitHub runner would take as workflow commands (it trims leading blanks first). */
const commandLines = (text: string) => text.split(/\r?\n|\r/).filter((l) => /^(::|##\[)/.test(l.trimStart()));

describe("printable", () => {
  it("shows controls, line separators and bidi overrides as \\u escapes and leaves other text alone", () => {
    expect(printable("a\u001b[2Kb\r\n\u0007\u009b\u2028\u202e\u2066")).toBe(
      "a\\u001b[2Kb\\u000d\\u000a\\u0007\\u009b\\u2028\\u202e\\u2066",
    );
    expect(printable("naïve 名前 😀 tab-free")).toBe("naïve 名前 😀 tab-free");
    expect(printable("")).toBe("");
  });

  it("withoutWorkflowCommands breaks every line that would start a command, and nothing else", () => {
    const out = withoutWorkflowCommands(
      ":: a\n  ::stop-commands::t\n\t##[group]x\nAWS::RDS::DBInstance ::x\n",
    );
    expect(commandLines(out)).toEqual([]);
    expect(out).toContain("AWS::RDS::DBInstance ::x");
    expect(out.replace(/\u200b/g, "")).toBe(
      ":: a\n  ::stop-commands::t\n\t##[group]x\nAWS::RDS::DBInstance ::x\n",
    );
    expect(withoutWorkflowCommands("plain text\n")).toBe("plain text\n");
  });
});

describe("text from resources cannot act where it is shown", () => {
  it("console: no escape sequence, carriage return or extra line comes from a name, even without colour", async () => {
    const result = await hostileScan();
    expect(result.findings.filter((f) => f.status === "fail")).toHaveLength(4);
    const out = renderConsole(result, { color: false, failOn: "low", allowErrors: false });
    expect(out).not.toMatch(/[\u001b\u0007\r\u202e\u2066]/);
    expect(out).toContain("x\\u001b[2K\\u001b[1A\\u000dPASS");
    expect(out).toContain("x\\u000a::stop-commands::pwned");
    expect(out).not.toMatch(/^\s*::stop-commands/m);
    // Colour codes, when asked for, are the tool's own and nothing else.
    const coloured = renderConsole(result, { color: true, failOn: "low", allowErrors: false });
    expect(coloured.match(/\u001b\[[0-9;]*[A-Za-z]/g)?.every((c) => /^\u001b\[\d+m$/.test(c))).toBe(true);
    expect(coloured).not.toContain("\u001b[2K");
  });

  it("the GitHub Action's log has no workflow command but its own annotations", async () => {
    const r = simulatedRunner({});
    const items = [ESCAPES, FORGED_LINE, LEADING_COMMAND].map((name, i) => ({
      version: "1.3",
      accountId: "111122223333",
      configurationItemCaptureTime: "2026-11-20T10:00:00.000Z",
      configurationItemStatus: "OK",
      configurationStateId: `${i + 1}`,
      resourceType: "AWS::RDS::DBInstance",
      resourceId: `db-${i}`,
      resourceName: name,
      ARN: `arn:aws:rds:us-east-1:111122223333:db:x${i}`,
      awsRegion: "us-east-1",
      configuration: { dBInstanceIdentifier: name, engine: "postgres", storageEncrypted: false },
      supplementaryConfiguration: {},
      tags: {},
    }));
    writeFileSync(
      join(r.workspace, "evil.json"),
      JSON.stringify({ fileVersion: "1.0", configSnapshotId: "e", configurationItems: items }),
    );
    // A user policy whose message starts with the name puts the name first on a console line.
    mkdirSync(join(r.workspace, "pol"));
    writeFileSync(
      join(r.workspace, "pol", "t-name-first.json"),
      JSON.stringify({
        ...TEST_POLICY,
        id: "t-name-first",
        title: "Name-first message",
        message: "{{name}} is not encrypted",
      }),
    );
    r.env.INPUT_POLICIES = "pol";
    r.env.INPUT_SNAPSHOT = "evil.json";
    r.env["INPUT_AS-OF"] = "2026-11-22";
    let stdout = "";
    let stderr = "";
    const result = await run(r.env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    expect(result.exitCode).toBe(1);
    const commands = commandLines(stdout);
    expect(commands.length).toBeGreaterThan(0);
    // Only the action's own annotations, each on one line with the name's line breaks escaped.
    for (const c of commands) expect(c).toMatch(/^::(error|warning|notice) /);
    expect(stdout).not.toMatch(/^\s*::(stop-commands|add-mask|notice title=Cipherproof::0)/m);
    expect(commandLines(stderr)).toEqual([]);
    expect(stdout).toContain("\u200b:add-mask::x is not encrypted");
  });

  it("error messages quote input escaped", () => {
    const err = new CipherproofError(
      "SNAPSHOT_INVALID",
      `resource "${FORGED_LINE}" is odd`,
      { file: "a\u001b[2K.json", pointer: "/x\ny" },
      "fix \u001b]8;;x",
    );
    const text = formatError(err);
    expect(text).not.toMatch(/[\u001b]/);
    expect(text.split("\n")).toHaveLength(2); // the message and its hint line, nothing forged
    expect(text).toContain("x\\u000a::stop-commands::pwned");
  });

  it("RFC 5424: a line break in a structured-data value cannot start a second record", async () => {
    const result = await hostileScan();
    const f = result.findings.find((x) => x.resource.name === FORGED_LINE && x.status === "fail");
    if (!f) throw new Error("no finding");
    const ctx = { scanId: "s", host: "h", pid: 1, tool: { name: "cipherproof", version: "0" } } as never;
    const line = rfc5424Finding(f, ctx);
    expect(line).not.toMatch(/[\r\n\u001b]/);
    expect(line).toContain('region="us-east-1\\\\u000a::warning::region"');
    expect(sdValue('a"b\\c]d\ne')).toBe('a\\"b\\\\c\\]d\\\\u000ae');
  });

  it("Markdown: no control characters, and bare URLs, www names and e-mail addresses stay plain text", async () => {
    expect(mdEscape("see https://evil.example/login or www.evil.example, mail a@evil.example")).toBe(
      "see https\\://evil.example/login or www\\.evil.example, mail a\\@evil.example",
    );
    expect(mdEscape("WWW.X.example")).toBe("WWW\\.X.example");
    expect(mdEscape("a\u001b[2Kb")).toBe("a\\\\u001b\\[2Kb");
    const md = renderMarkdown(await hostileScan());
    expect(md).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(md).not.toMatch(/https:\/\/evil/);
  });
});
