import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesIn, runCli, tempDir } from "../support/cli.js";
import { TEST_POLICY } from "../support/policy-fixture.js";

// A valid user policy; each case below breaks one thing about it (or about config / snapshot / usage).
const GOOD_POLICY = {
  ...TEST_POLICY,
  id: "custom-rds-encrypted",
  title: "RDS instances are encrypted (custom)",
  message: "{{name}} is not encrypted",
};

const GOOD_SNAPSHOT = {
  fileVersion: "1.0",
  configSnapshotId: "11111111-2222-3333-4444-555555555555",
  configurationItems: [],
};

interface Case {
  name: string;
  /** Files to create in the temp folder: name → content (objects are JSON-encoded). */
  files: Record<string, unknown>;
  args: string[];
  code: string;
  /** Substrings the error output must contain (file, pointer, property…). */
  mentions: string[];
}

const policyCase = (
  name: string,
  policy: unknown,
  code: string,
  mentions: string[],
  fileName = "custom-rds-encrypted.json",
): Case => ({
  name,
  files: { [`pol/${fileName}`]: policy, "snap.json": GOOD_SNAPSHOT },
  args: ["scan", "--snapshot", "snap.json", "--no-builtin", "--policies", "pol"],
  code,
  mentions,
});

const configCase = (
  name: string,
  config: unknown,
  code: string,
  mentions: string[],
  fileName = "cipherproof.config.json",
): Case => ({
  name,
  files: { [fileName]: config, "snap.json": GOOD_SNAPSHOT },
  args: ["scan", "--snapshot", "snap.json", "--config", fileName],
  code,
  mentions,
});

const snapshotCase = (
  name: string,
  content: unknown,
  code: string,
  mentions: string[],
  fileName = "snap.json",
): Case => ({
  name,
  files: { [fileName]: content },
  args: ["scan", "--snapshot", fileName],
  code,
  mentions,
});

const waiver = {
  policy: "kms-key-rotation-enabled",
  resource: "*",
  reason: "migration",
  owner: "sec@medledger.example",
  ticket: "SEC-1",
};

const CASES: Case[] = [
  // Policies
  policyCase("policy with a JSON syntax error", '{\n  "id": "custom-rds-encrypted",\n}\n', "JSON_SYNTAX", [
    "pol/custom-rds-encrypted.json:3:1",
  ]),
  policyCase(
    "misspelled property storageEncryted",
    {
      ...GOOD_POLICY,
      assert: { required: ["storageEncryted"], properties: { storageEncryted: { const: true } } },
    },
    "POLICY_UNKNOWN_PROPERTY",
    ["storageEncryted", "/assert/properties/storageEncryted", 'did you mean "storageEncrypted"'],
  ),
  policyCase(
    "misspelled property only in required",
    {
      ...GOOD_POLICY,
      assert: { required: ["storageEncryptd"], properties: { storageEncrypted: { const: true } } },
    },
    "POLICY_UNKNOWN_PROPERTY",
    ["/assert/required/0", "storageEncryptd"],
  ),
  policyCase(
    "misspelled property in when",
    { ...GOOD_POLICY, when: { properties: { engin: { const: "postgres" } } } },
    "POLICY_UNKNOWN_PROPERTY",
    ["/when/properties/engin"],
  ),
  policyCase("assert is {}", { ...GOOD_POLICY, assert: {} }, "POLICY_VACUOUS", [
    "/assert",
    "reads no property",
  ]),
  policyCase(
    "assert an empty resource satisfies",
    { ...GOOD_POLICY, assert: { properties: { storageEncrypted: { const: true } } } },
    "POLICY_VACUOUS",
    ["/assert", "no properties at all"],
  ),
  policyCase(
    "assert that only requires the property (accepts false)",
    { ...GOOD_POLICY, assert: { required: ["storageEncrypted"] } },
    "POLICY_VACUOUS",
    [
      "custom-rds-encrypted.json",
      "/assert/required/0",
      '"storageEncrypted"',
      "no value of it changes the outcome",
    ],
  ),
  policyCase(
    "unknown JSON Schema keyword (requird)",
    { ...GOOD_POLICY, assert: { requird: ["storageEncrypted"], required: ["storageEncrypted"] } },
    "POLICY_SCHEMA",
    ["/assert/requird", 'did you mean "required"'],
  ),
  policyCase("missing severity", (({ severity: _s, ...rest }) => rest)(GOOD_POLICY), "POLICY_INVALID", [
    'missing required field "severity"',
  ]),
  policyCase(
    "a $ref the lint cannot follow",
    {
      ...GOOD_POLICY,
      assert: {
        required: ["storageEncrypted"],
        $defs: { x: { properties: { storageEncryted: { const: true } } } },
        allOf: [{ $ref: "#/$defs/x" }],
      },
    },
    "POLICY_SCHEMA",
    ["/assert/$defs", "not supported in policies"],
  ),
  policyCase(
    "patternProperties hiding a misspelling",
    {
      ...GOOD_POLICY,
      assert: { required: ["storageEncrypted"], patternProperties: { "^storageEncryted$": { const: true } } },
    },
    "POLICY_SCHEMA",
    ["/assert/patternProperties"],
  ),
  policyCase(
    "an asynchronous assertion, whose promise would read as a pass",
    { ...GOOD_POLICY, assert: { ...GOOD_POLICY.assert, $async: true } },
    "POLICY_SCHEMA",
    ["custom-rds-encrypted.json", "/assert/$async", "asynchronous"],
  ),
  policyCase(
    "items as a list of per-position schemas, where the lint cannot look",
    {
      ...GOOD_POLICY,
      resourceType: "endpoint.tls",
      assert: {
        required: ["acceptedCipherSuites"],
        properties: {
          acceptedCipherSuites: {
            minItems: 1,
            items: [{ properties: { nmae: { const: "x" } }, required: ["nmae"] }],
          },
        },
      },
    },
    "POLICY_SCHEMA",
    ["/assert/properties/acceptedCipherSuites/items", "not supported in policies"],
  ),
  policyCase(
    "a nested property read but not required",
    {
      ...GOOD_POLICY,
      resourceType: "endpoint.tls",
      assert: {
        required: ["protocols"],
        properties: { protocols: { minItems: 1, items: { type: "string" } } },
        allOf: [
          {
            properties: {
              acceptedCipherSuites: { minItems: 1, items: { properties: { name: { type: "string" } } } },
            },
          },
        ],
      },
    },
    "POLICY_VACUOUS",
    ["/assert/allOf/0/properties/acceptedCipherSuites/items/properties/name", "is read but not required"],
  ),
  policyCase(
    "items that an empty array satisfies",
    {
      ...GOOD_POLICY,
      resourceType: "endpoint.tls",
      assert: {
        required: ["protocols"],
        properties: { protocols: { items: { enum: ["TLSv1.2", "TLSv1.3"] } } },
      },
    },
    "POLICY_VACUOUS",
    ["/assert/properties/protocols/items", "minItems"],
  ),
  policyCase(
    "a value the property can never have (enum typo)",
    {
      ...GOOD_POLICY,
      resourceType: "aws.kms.key",
      when: { properties: { keyManager: { const: "CUSTOMR" } } },
      assert: { required: ["enabled"], properties: { enabled: { const: true } } },
    },
    "POLICY_UNKNOWN_PROPERTY",
    ["/when/properties/keyManager/const", 'did you mean "CUSTOMER"'],
  ),
  policyCase(
    "a key repeated in one object",
    '{"id":"custom-rds-encrypted","title":"RDS instances are encrypted (custom)","category":"at-rest","severity":"high","resourceType":"aws.rds.db_instance","description":"d","rationale":"r","remediation":"f",\n"assert":{"required":["storageEncrypted"],"properties":{"storageEncrypted":{"const":true}},\n"properties":{"engine":{"type":"string"}}},"message":"m"}',
    "JSON_SYNTAX",
    ['duplicate key "properties"', "custom-rds-encrypted.json:3:1"],
  ),
  policyCase("unknown severity", { ...GOOD_POLICY, severity: "urgent" }, "POLICY_INVALID", [
    "/severity",
    "urgent",
  ]),
  policyCase("unknown category", { ...GOOD_POLICY, category: "encryption" }, "POLICY_INVALID", ["/category"]),
  policyCase("unknown top-level field", { ...GOOD_POLICY, asert: {} }, "POLICY_INVALID", [
    "/asert",
    'unknown field "asert"',
  ]),
  policyCase(
    "unknown resource type",
    { ...GOOD_POLICY, resourceType: "aws.rds.instance" },
    "POLICY_UNKNOWN_TYPE",
    ["/resourceType", "aws.rds.instance"],
  ),
  policyCase(
    "id differs from file name",
    GOOD_POLICY,
    "POLICY_INVALID",
    ["/id", "other-name.json"],
    "other-name.json",
  ),
  policyCase(
    "undeclared $param",
    {
      ...GOOD_POLICY,
      assert: {
        required: ["backupRetentionDays"],
        properties: { backupRetentionDays: { minimum: { $param: "minDays" } } },
      },
    },
    "POLICY_PARAMETER",
    ["/assert/properties/backupRetentionDays/minimum", "minDays"],
  ),
  policyCase(
    "parameter default outside its own schema",
    { ...GOOD_POLICY, parameters: { minDays: { type: "integer", minimum: 1, default: 0 } } },
    "POLICY_PARAMETER",
    ["/parameters/minDays/default"],
  ),
  policyCase(
    "message placeholder that refers to nothing",
    { ...GOOD_POLICY, message: "{{propertes.engine}} unencrypted" },
    "POLICY_INVALID",
    ["/message", "propertes.engine"],
  ),
  {
    name: "duplicate policy id across folders",
    files: {
      "a/custom-rds-encrypted.json": GOOD_POLICY,
      "b/custom-rds-encrypted.json": GOOD_POLICY,
      "snap.json": GOOD_SNAPSHOT,
    },
    args: ["scan", "--snapshot", "snap.json", "--no-builtin", "--policies", "a", "--policies", "b"],
    code: "POLICY_DUPLICATE_ID",
    mentions: ["b/custom-rds-encrypted.json", "already defined in a/custom-rds-encrypted.json"],
  },
  {
    name: "policy folder that does not exist",
    files: { "snap.json": GOOD_SNAPSHOT },
    args: ["scan", "--snapshot", "snap.json", "--policies", "nope"],
    code: "FILE_NOT_FOUND",
    mentions: ["nope"],
  },
  // Config
  configCase("config with a JSON syntax error", '{ "failOn": "high" "allowErrors": true }', "JSON_SYNTAX", [
    "cipherproof.config.json:1:",
  ]),
  configCase(
    "config with a YAML syntax error",
    "failOn: high\n  allowErrors: [true\n",
    "YAML_SYNTAX",
    ["cipherproof.config.yaml:"],
    "cipherproof.config.yaml",
  ),
  configCase("config with a repeated key", '{ "failOn": "high", "failOn": "low" }', "JSON_SYNTAX", [
    'duplicate key "failOn"',
  ]),
  configCase(
    "enable pattern that matches no policy",
    { policies: { enable: ["kms-kye-*"] } },
    "CONFIG_INVALID",
    ["/policies/enable/0", "kms-kye-*"],
  ),
  {
    name: "a scan in which nothing is evaluated",
    files: { "snap.json": GOOD_SNAPSHOT, "cfg.json": { policies: { enable: ["endpoint-*"] } } },
    args: ["scan", "--snapshot", "snap.json", "--config", "cfg.json"],
    code: "NOTHING_EVALUATED",
    mentions: ["nothing was evaluated"],
  },
  configCase("unknown config field", { failOn: "high", failon: "low" }, "CONFIG_INVALID", [
    'unknown field "failon"',
  ]),
  configCase("invalid failOn", { failOn: "severe" }, "CONFIG_INVALID", ["/failOn", "severe"]),
  configCase("waiver without expires", { waivers: [waiver] }, "WAIVER_INVALID", [
    "/waivers/0",
    'missing required field "expires"',
    "expiry",
  ]),
  configCase(
    "waiver whose expiry is not a date",
    { waivers: [{ ...waiver, expires: "next quarter" }] },
    "WAIVER_INVALID",
    ["/waivers/0/expires"],
  ),
  configCase(
    "waiver expiring on an impossible date",
    { waivers: [{ ...waiver, expires: "2027-02-30" }] },
    "WAIVER_INVALID",
    ["/waivers/0/expires", "2027-02-30"],
  ),
  configCase(
    "waiver without owner",
    { waivers: [{ ...waiver, owner: undefined, expires: "2027-01-01" }] },
    "WAIVER_INVALID",
    ['missing required field "owner"'],
  ),
  configCase(
    "waiver naming a policy that does not exist",
    { waivers: [{ ...waiver, policy: "kms-key-rotaton-enabled", expires: "2027-01-01" }] },
    "CONFIG_INVALID",
    ["/waivers/0/policy", 'did you mean "kms-key-rotation-enabled"'],
  ),
  {
    name: "--policies given a file instead of a folder",
    files: { "snap.json": GOOD_SNAPSHOT, "pol/custom-rds-encrypted.json": GOOD_POLICY },
    args: ["scan", "--snapshot", "snap.json", "--policies", "pol/custom-rds-encrypted.json"],
    code: "USAGE",
    mentions: ["custom-rds-encrypted.json", "takes a folder", "--policies pol"],
  },
  configCase(
    "parameter override of the wrong type",
    { policies: { parameters: { "kms-key-rotation-enabled": { maxRotationDays: "a year" } } } },
    "POLICY_PARAMETER",
    ["maxRotationDays", "/policies/parameters/kms-key-rotation-enabled/maxRotationDays"],
  ),
  configCase(
    "parameter override out of range",
    { policies: { parameters: { "kms-key-rotation-enabled": { maxRotationDays: 5 } } } },
    "POLICY_PARAMETER",
    ["maxRotationDays"],
  ),
  configCase(
    "override of a parameter the policy does not have",
    { policies: { parameters: { "kms-key-rotation-enabled": { maxDays: 90 } } } },
    "POLICY_PARAMETER",
    ['no parameter "maxDays"', "maxRotationDays"],
  ),
  configCase(
    "severity override for an unknown policy",
    { policies: { severity: { "kms-key-rotaton-enabled": "low" } } },
    "CONFIG_INVALID",
    ["kms-key-rotaton-enabled"],
  ),
  configCase("unknown framework", { frameworks: ["hippa"] }, "CONFIG_INVALID", ["/frameworks/0", "hippa"]),
  {
    name: "config file that does not exist",
    files: { "snap.json": GOOD_SNAPSHOT },
    args: ["scan", "--snapshot", "snap.json", "--config", "missing.json"],
    code: "FILE_NOT_FOUND",
    mentions: ["missing.json"],
  },
  // Snapshots
  snapshotCase("snapshot that is not JSON", "fileVersion: 1.0\n", "JSON_SYNTAX", ["snap.json:1:"]),
  snapshotCase(
    "snapshot with a corrupt gzip body",
    Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from("garbage")]),
    "SNAPSHOT_INVALID",
    ["snap.json.gz"],
    "snap.json.gz",
  ),
  snapshotCase("snapshot of an unknown shape", { items: [] }, "SNAPSHOT_INVALID", ["snap.json"]),
  snapshotCase(
    "configurationItems is not an array",
    { ...GOOD_SNAPSHOT, configurationItems: {} },
    "SNAPSHOT_INVALID",
    ["/configurationItems"],
  ),
  snapshotCase(
    "item without resourceType",
    {
      ...GOOD_SNAPSHOT,
      configurationItems: [
        { resourceId: "x", awsRegion: "us-east-1", awsAccountId: "111122223333", configuration: {} },
      ],
    },
    "SNAPSHOT_INVALID",
    ["/configurationItems/0"],
  ),
  snapshotCase(
    "batch-get configuration string that is not JSON",
    {
      baseConfigurationItems: [
        {
          resourceType: "AWS::KMS::Key",
          resourceId: "k",
          awsRegion: "us-east-1",
          accountId: "111122223333",
          arn: "arn:aws:kms:us-east-1:111122223333:key/k",
          configuration: "{not json",
        },
      ],
    },
    "SNAPSHOT_INVALID",
    ["/baseConfigurationItems/0/configuration"],
  ),
  {
    name: "snapshot file that does not exist",
    files: {},
    args: ["scan", "--snapshot", "nope.json.gz"],
    code: "FILE_NOT_FOUND",
    mentions: ["nope.json.gz"],
  },
  // Usage
  {
    name: "unknown flag",
    files: { "snap.json": GOOD_SNAPSHOT },
    args: ["scan", "--snapshot", "snap.json", "--fail-of", "high"],
    code: "USAGE",
    mentions: ["--fail-of"],
  },
  {
    name: "unknown --fail-on severity",
    files: { "snap.json": GOOD_SNAPSHOT },
    args: ["scan", "--snapshot", "snap.json", "--fail-on", "severe"],
    code: "USAGE",
    mentions: ["--fail-on", "severe"],
  },
  { name: "scan without a source", files: {}, args: ["scan"], code: "USAGE", mentions: ["--snapshot"] },
  {
    name: "unknown output format",
    files: { "snap.json": GOOD_SNAPSHOT },
    args: ["scan", "--snapshot", "snap.json", "--format", "xml"],
    code: "USAGE",
    mentions: ["xml"],
  },
  {
    name: "explain an unknown policy",
    files: {},
    args: ["policies", "explain", "kms-key-rotaton-enabled"],
    code: "POLICY_NOT_FOUND",
    mentions: ["did you mean kms-key-rotation-enabled"],
  },
];

describe("malformed inputs: exact error, exit 2, no stack trace, no output files", () => {
  it("has at least 25 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const dir = tempDir();
      for (const [name, content] of Object.entries(c.files)) {
        const path = join(dir, name);
        mkdirSync(join(path, ".."), { recursive: true });
        writeFileSync(
          path,
          typeof content === "string" || Buffer.isBuffer(content)
            ? content
            : JSON.stringify(content, null, 2),
        );
      }
      const out = join(dir, "out");
      const args = c.args[0] === "scan" ? [...c.args, "--out", "out"] : c.args;
      const r = runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`error[${c.code}]`);
      for (const m of c.mentions) expect(r.stderr).toContain(m);
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(filesIn(out)).toEqual([]);
    });
  }
});
