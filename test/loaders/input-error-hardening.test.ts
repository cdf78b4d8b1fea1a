// Bad policy folders, policy files and config files are input errors (exit 2) that name the file and the place, never
// an "internal error" with a stack trace, and never echo a secret pasted into a config file.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CipherproofError, CipherproofErrors } from "../../src/core/errors.js";
import { resolveParameters } from "../../src/core/policy/parameters.js";
import type { PolicyDefinition } from "../../src/core/types.js";
import { describeAjvError, showValue } from "../../src/core/validate-input.js";
import { loadConfig } from "../../src/loaders/config.js";
import { loadPolicies } from "../../src/loaders/policies.js";
import { ROOT, runCli, tempDir } from "../support/cli.js";
import { TEST_POLICY } from "../support/policy-fixture.js";

const SNAP = join(ROOT, "examples", "healthcare-saas");

const { id: _id, assert: _assert, ...rest } = TEST_POLICY;
const HEADER = { ...rest, title: "Test policy xx", message: "x" };

/** A valid policy with this id (a file named `<id>.json` must hold it). */
function policy(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    ...HEADER,
    assert: { required: ["storageEncrypted"], properties: { storageEncrypted: { const: true } } },
    ...extra,
  };
}

/** A policy whose array parameter `m` has this `items` schema, used in the assertion. */
function paramPolicy(id: string, items: unknown): Record<string, unknown> {
  return {
    id,
    ...HEADER,
    parameters: { m: { type: "array", default: [1], items } },
    assert: {
      required: ["backupRetentionDays"],
      properties: { backupRetentionDays: { minimum: { $param: "m" } } },
    },
  };
}

function write(path: string, content: unknown): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

/** Every CipherproofError a call throws (flattened); fails the test on any other exception. */
function errorsOf(fn: () => unknown): CipherproofError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CipherproofErrors) return err.errors;
    if (err instanceof CipherproofError) return [err];
    throw err;
  }
  return [];
}

/** Run the CLI in `cwd`; the combined output must be an input error, never an internal one. */
function runInputError(args: string[], cwd: string): string {
  const r = runCli(args, { cwd });
  const out = r.stdout + r.stderr;
  expect(out).not.toContain("internal error");
  expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(r.code, out).toBe(2);
  return out;
}

const BIN_ARGS = (dir: string) => ["policies", "validate", "--no-builtin", "--policies", dir];

describe("A: a parameter's schema that ajv refuses is a POLICY_PARAMETER error", () => {
  it("an unknown keyword in `items` names the file and the keyword's pointer (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "pol", "pa.json"), paramPolicy("pa", { typo: 1 }));
    const out = runInputError(BIN_ARGS("pol"), cwd);
    expect(out).toContain("error[POLICY_PARAMETER]");
    expect(out).toContain(`${join("pol", "pa.json")} at /parameters/m/items/typo`);
    expect(out).toContain('unknown keyword "typo"');
    expect(out).toContain('did you mean "type"');
  });

  it("scan stops with exit 2 too", () => {
    const cwd = tempDir();
    write(join(cwd, "pol", "pa.json"), paramPolicy("pa", { anyOf: [{ tpye: "integer" }] }));
    const out = runInputError(["scan", "--snapshot", SNAP, "--no-builtin", "--policies", "pol"], cwd);
    expect(out).toContain("/parameters/m/items/anyOf/0/tpye");
  });

  it.each([
    ["a keyword with a wrong value", { type: "foo" }, "/parameters/m/items/type"],
    ["a keyword of the wrong type", { minimum: "x" }, "/parameters/m/items/minimum"],
    ["an invalid regular expression", { pattern: "(" }, "/parameters/m/items/pattern"],
    ["an unknown format", { format: "nope" }, "/parameters/m/items/format"],
    ["a $ref", { $ref: "#/x" }, "/parameters/m/items/$ref"],
    ["an $id", { $id: "urn:x", type: "integer" }, "/parameters/m/items/$id"],
    ["$async (a promise would read as valid)", { $async: true }, "/parameters/m/items/$async"],
    [
      "an unknown keyword beside a property of the same name",
      { properties: { typo: {} }, typo: 1 },
      "/parameters/m/items/typo",
    ],
  ])("%s", (_name, items, pointer) => {
    const dir = tempDir();
    write(join(dir, "pb.json"), paramPolicy("pb", items));
    const errs = errorsOf(() => loadPolicies({ builtin: false, dirs: [dir] }));
    expect(errs.map((e) => e.code)).toEqual(["POLICY_PARAMETER"]);
    expect(errs[0].location.file).toContain("pb.json");
    expect(errs[0].location.pointer).toBe(pointer);
    expect(errs[0].hint).toBeTruthy();
  });

  it("the same policy loads twice in one process (nothing is left registered on the shared ajv)", () => {
    const dir = tempDir();
    write(join(dir, "pc.json"), {
      ...paramPolicy("pc", {}),
      parameters: { m: { type: "integer", default: 7, minimum: 1 } },
    });
    expect(loadPolicies({ builtin: false, dirs: [dir] })).toHaveLength(1);
    expect(loadPolicies({ builtin: false, dirs: [dir] })).toHaveLength(1);
  });

  it("an override value is shown redacted, Infinity by name, and not at all under a secret-like name", () => {
    const def = {
      id: "p",
      parameters: {
        n: { type: "integer", default: 1 },
        u: { type: "string", enum: ["a"], default: "a" },
        apiToken: { type: "string", enum: ["a"], default: "a" },
      },
    } as unknown as PolicyDefinition;
    const [inf] = errorsOf(() => resolveParameters(def, { n: Number.POSITIVE_INFINITY }, "p.json", "c.json"));
    expect(inf.code).toBe("POLICY_PARAMETER");
    expect(inf.location).toEqual({ file: "c.json", pointer: "/policies/parameters/p/n" });
    expect(inf.message).toContain("is Infinity");
    const [url] = errorsOf(() => resolveParameters(def, { u: "https://admin:S3cretPass@h/x" }, "p.json"));
    expect(url.message).not.toContain("S3cretPass");
    expect(url.message).toContain("[redacted]");
    const [secret] = errorsOf(() => resolveParameters(def, { apiToken: "tok-7c9e6679" }, "p.json"));
    expect(secret.code).toBe("POLICY_PARAMETER");
    expect(secret.message).not.toContain("tok-7c9e6679");
  });
});

describe("B: a YAML config the YAML library cannot turn into data", () => {
  it('a "billion laughs" config is YAML_SYNTAX naming the file (CLI)', () => {
    const cwd = tempDir();
    const names = "abcdefg";
    let yaml = "a: &a [x,x,x,x,x,x,x,x,x]\n";
    for (let i = 1; i < names.length; i++) {
      yaml += `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(",")}]\n`;
    }
    write(join(cwd, "c.yaml"), yaml);
    const out = runInputError(["scan", "--snapshot", SNAP, "--config", "c.yaml"], cwd);
    expect(out).toContain("error[YAML_SYNTAX] c.yaml");
    expect(out).toMatch(/aliases .*expand too much/);
  });

  it("a config nested too deeply for the stack is YAML_SYNTAX naming the file", () => {
    const dir = tempDir();
    const file = join(dir, "deep.yml");
    write(file, `policies: ${"[".repeat(20000)}${"]".repeat(20000)}\n`);
    const errs = errorsOf(() => loadConfig(file));
    expect(errs.map((e) => e.code)).toEqual(["YAML_SYNTAX"]);
    expect(errs[0].location.file).toContain("deep.yml");
    expect(errs[0].message).toContain("nests too deeply");
  });

  it("an alias to an anchor that does not exist is still a positioned YAML_SYNTAX error", () => {
    const dir = tempDir();
    const file = join(dir, "c.yaml");
    write(file, "failOn: *nowhere\n");
    const errs = errorsOf(() => loadConfig(file));
    expect(errs.map((e) => e.code)).toEqual(["YAML_SYNTAX"]);
    expect(errs[0].location.file).toContain("c.yaml");
  });
});

describe("C: config errors never echo a secret", () => {
  const TOKEN = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  const API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
  const PASSWORD = "S3cretPass";

  it.each([
    [
      "a token pasted as tokenEnv",
      { siem: { targets: [{ target: "hec@hec:https://splunk:8088", tokenEnv: TOKEN }] } },
      TOKEN,
      "/siem/targets/0/tokenEnv",
    ],
    [
      "an API key pasted as apiKeyEnv",
      { siem: { targets: [{ target: "ecs@elastic:https://es:9200/i", apiKeyEnv: API_KEY }] } },
      API_KEY,
      "/siem/targets/0/apiKeyEnv",
    ],
    [
      "a password in a target object's URL",
      { siem: { targets: [{ target: `HEC@hec:https://admin:${PASSWORD}@splunk:8088` }] } },
      PASSWORD,
      "/siem/targets/0/target",
    ],
    [
      "a password and a query token in a target string",
      { siem: { targets: [`HEC@hec:https://admin:${PASSWORD}@splunk:8088?token=${TOKEN}`] } },
      PASSWORD,
      "/siem/targets/0",
    ],
    [
      "a URL with credentials where an enum belongs",
      { siem: { events: `https://u:${PASSWORD}@x` } },
      PASSWORD,
      "/siem/events",
    ],
    [
      "a secret inside an object where a list belongs",
      { siem: { targets: { target: "ocsf@stdout", tokenEnv: TOKEN } } },
      TOKEN,
      "/siem/targets",
    ],
  ])("%s (CLI)", (_name, config, secret, pointer) => {
    const cwd = tempDir();
    write(join(cwd, "c.json"), config);
    const out = runInputError(["scan", "--snapshot", SNAP, "--config", "c.json"], cwd);
    expect(out).toContain(`error[CONFIG_INVALID] c.json at ${pointer}:`);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(secret.slice(0, 12));
  });

  it("a policy id that merely contains 'secret' is a map key, not a secret: its bad severity is shown", () => {
    const cwd = tempDir();
    write(join(cwd, "c.json"), {
      policies: { severity: { "secretsmanager-secret-rotation-enabled": "hihg" } },
    });
    const out = runInputError(["scan", "--snapshot", SNAP, "--config", "c.json"], cwd);
    expect(out).toContain("/policies/severity/secretsmanager-secret-rotation-enabled");
    expect(out).toContain('is "hihg"; must be one of');
  });

  it("says what is wrong with an env var name without the value", () => {
    const cwd = tempDir();
    write(
      join(cwd, "c.yaml"),
      `siem:\n  targets:\n    - target: hec@hec:https://splunk:8088\n      tokenEnv: "${TOKEN}"\n`,
    );
    const out = runInputError(["scan", "--snapshot", SNAP, "--config", "c.yaml"], cwd);
    expect(out).toContain("is not a valid environment variable name");
    expect(out).not.toContain(TOKEN);
  });

  it("a private key pasted where a key file's path belongs is not echoed", () => {
    const err = describeAjvError({
      keyword: "type",
      instancePath: "/siem/clientKey",
      schemaPath: "#/properties/siem/properties/clientKey/type",
      params: { type: "string" },
      data: ["-----BEGIN PRIVATE KEY-----MIIEv"],
    });
    expect(err.pointer).toBe("/siem/clientKey");
    expect(err.message).not.toContain("MIIEv");
  });

  it("showValue redacts before it shortens, and names non-finite numbers", () => {
    expect(showValue(`ocsf@hec:https://admin:${"p".repeat(80)}@h:8088`)).not.toContain("ppp");
    expect(showValue(Number.NaN)).toBe("NaN");
    expect(showValue(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(showValue({ password: PASSWORD })).not.toContain(PASSWORD);
    expect(showValue([`https://u:${PASSWORD}@h`])).not.toContain(PASSWORD);
  });
});

describe("D: a --policies folder that yields no policy is an input error", () => {
  it("a folder holding only profiles/ is POLICY_NOT_FOUND naming the folder and what was skipped (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "d", "profiles", "x.json"), policy("x"));
    write(join(cwd, "d", "README.md"), "notes");
    const out = runInputError(BIN_ARGS("d"), cwd);
    expect(out).toContain("error[POLICY_NOT_FOUND] d:");
    expect(out).toContain("profiles/");
    expect(out).toContain("README.md");
    expect(out).toContain("hint:");
  });

  it("scan with the built-in pack does not silently run without the user's folder (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "d", "profiles", "x.json"), policy("x"));
    const out = runInputError(["scan", "--snapshot", SNAP, "--policies", "d"], cwd);
    expect(out).toContain("error[POLICY_NOT_FOUND] d:");
  });

  it("an empty folder is POLICY_NOT_FOUND", () => {
    const dir = tempDir();
    const errs = errorsOf(() => loadPolicies({ dirs: [dir] }));
    expect(errs.map((e) => e.code)).toEqual(["POLICY_NOT_FOUND"]);
    expect(errs[0].message).toContain("empty");
  });

  it("a policy placed under frameworks/ is reported, not skipped silently (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "d", "frameworks", "x.json"), policy("x"));
    const out = runInputError(BIN_ARGS("d"), cwd);
    expect(out).toContain(`error[FRAMEWORK_INVALID] ${join("d", "frameworks", "x.json")}`);
    expect(out).not.toContain("ok:");
  });

  it("a policy file named x.JSON is reported (policy, snapshot and framework files all end in lowercase .json) (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "d", "x.JSON"), policy("x"));
    const out = runInputError(BIN_ARGS("d"), cwd);
    expect(out).toContain(`error[POLICY_INVALID] ${join("d", "x.JSON")}`);
    expect(out).toContain("rename it to x.json");
  });

  it("a symlinked folder of policies is followed (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "real", "t-real.json"), policy("t-real"));
    mkdirSync(join(cwd, "d"));
    symlinkSync(join(cwd, "real"), join(cwd, "d", "link"), "dir");
    const r = runCli(BIN_ARGS("d"), { cwd });
    expect(r.stdout + r.stderr).toContain("ok: 1 policies");
    expect(r.code).toBe(0);
  });

  it("a symlink loop ends: the folder is read once", () => {
    const dir = tempDir();
    write(join(dir, "t-loop.json"), policy("t-loop"));
    mkdirSync(join(dir, "sub"));
    symlinkSync(dir, join(dir, "sub", "up"), "dir");
    symlinkSync(join(dir, "sub"), join(dir, "sub", "self"), "dir");
    expect(loadPolicies({ builtin: false, dirs: [dir] }).map((p) => p.id)).toEqual(["t-loop"]);
  });

  it("a folder of only symlink loops is POLICY_NOT_FOUND, not a hang", () => {
    const dir = tempDir();
    symlinkSync(dir, join(dir, "again"), "dir");
    const errs = errorsOf(() => loadPolicies({ builtin: false, dirs: [dir] }));
    expect(errs.map((e) => e.code)).toEqual(["POLICY_NOT_FOUND"]);
    expect(errs[0].message).toContain("again/");
  });

  it("a folder carrying only frameworks (documented in docs/frameworks.md) is still accepted", () => {
    const dir = tempDir();
    write(join(dir, "frameworks", "f.json"), { id: "f", title: "F", version: "1", controls: [] });
    expect(errorsOf(() => loadPolicies({ dirs: [dir] }))).toEqual([]);
  });
});

describe("E: pointers, folders given twice, non-finite numbers", () => {
  it("an unknown policy id in severity/parameters overrides gets an escaped JSON pointer (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "c.json"), { policies: { severity: { "a/b~c": "high" }, parameters: { "x/y": {} } } });
    const out = runInputError(["scan", "--snapshot", SNAP, "--config", "c.json"], cwd);
    expect(out).toContain("error[CONFIG_INVALID] c.json at /policies/severity/a~1b~0c:");
    expect(out).toContain("error[CONFIG_INVALID] c.json at /policies/parameters/x~1y:");
  });

  it("the same folder given twice is read once (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "d2", "t-dup.json"), policy("t-dup"));
    const r = runCli([...BIN_ARGS("d2"), "--policies", "d2", "--policies", join(cwd, "d2")], { cwd });
    expect(r.stdout + r.stderr).not.toContain("POLICY_DUPLICATE_ID");
    expect(r.stdout).toContain("ok: 1 policies");
    expect(r.code).toBe(0);
  });

  it("a folder and its subfolder read each file once", () => {
    const dir = tempDir();
    write(join(dir, "sub", "t-sub.json"), policy("t-sub"));
    expect(loadPolicies({ builtin: false, dirs: [dir, join(dir, "sub")] }).map((p) => p.id)).toEqual([
      "t-sub",
    ]);
  });

  it("two different files with one id are still a duplicate", () => {
    const a = tempDir();
    const b = tempDir();
    write(join(a, "t-same.json"), policy("t-same"));
    write(join(b, "t-same.json"), policy("t-same"));
    const errs = errorsOf(() => loadPolicies({ builtin: false, dirs: [a, b] }));
    expect(errs.map((e) => e.code)).toEqual(["POLICY_DUPLICATE_ID"]);
  });

  it("Infinity and NaN in a config are shown as such, not as null (CLI)", () => {
    const cwd = tempDir();
    write(join(cwd, "c.yaml"), "failOn: .nan\nallowErrors: .inf\n");
    write(join(cwd, "c.json"), '{"failOn": 1e400}');
    const y = runInputError(["scan", "--snapshot", SNAP, "--config", "c.yaml"], cwd);
    expect(y).toContain("error[CONFIG_INVALID] c.yaml at /failOn: is NaN;");
    expect(y).toContain("error[CONFIG_INVALID] c.yaml at /allowErrors: is Infinity;");
    const j = runInputError(["scan", "--snapshot", SNAP, "--config", "c.json"], cwd);
    expect(j).toContain("error[CONFIG_INVALID] c.json at /failOn: is Infinity;");
  });
});
