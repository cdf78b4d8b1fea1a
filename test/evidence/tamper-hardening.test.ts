// Hostile and malformed inputs to the evidence commands: deep JSON, mistyped findings documents, tampered manifests,
// malformed encryption blocks, unplaceable times and repeated finding ids. Each must end in a clear error naming the
// file (exit 2; verify reports tampering with exit 1), never "internal error", never a false pass, and never a
// half-written output folder. CLI cases run the built dist/ (npm run build first).
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { collectSnapshots } from "../../src/collectors/aws-config-snapshot/index.js";
import { dedupeFindings, diffFindings, gateAgainstBaseline, preferFinding } from "../../src/core/diff.js";
import { CipherproofError } from "../../src/core/errors.js";
import { locateJsonError, parseJson } from "../../src/core/json.js";
import { buildPeriod } from "../../src/core/period.js";
import type { Finding, ResourceDocument } from "../../src/core/types.js";
import { type Manifest, writeBundle } from "../../src/evidence/bundle.js";
import { FINDINGS_DOCUMENT_SCHEMA } from "../../src/evidence/rebuild.js";
import { createSigner } from "../../src/evidence/signing.js";
import { scan } from "../../src/scan.js";
import { filesIn, ROOT, runCli, tempDir } from "../support/cli.js";

const EXAMPLE = join(ROOT, "examples", "healthcare-saas");

/** The output of a run that went wrong as expected: no crash report. */
function expectNoCrash(r: { stdout: string; stderr: string }): void {
  expect(r.stderr).not.toMatch(/internal error/i);
  expect(r.stdout).not.toMatch(/internal error/i);
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * Rewrite a bundle as someone holding no key but able to re-sign would: replace files (their manifest entries get the
 * new hash and size), edit the manifest, and sign it with a fresh Ed25519 key whose public half replaces the bundle's.
 * The result verifies with the bundle's own key.
 */
async function resign(
  dir: string,
  edit: (m: Manifest) => void = () => {},
  replace: Record<string, Buffer | string> = {},
): Promise<void> {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  for (const [path, content] of Object.entries(replace)) {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    writeFileSync(join(dir, ...path.split("/")), bytes);
    const entry = m.files.find((f) => f.path === path);
    if (!entry) throw new Error(`resign: ${path} is not listed`);
    entry.sha256 = sha(bytes);
    entry.size = bytes.length;
  }
  const signer = await createSigner({ kind: "generated" });
  m.signature = signer.info;
  edit(m);
  const bytes = Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
  writeFileSync(join(dir, "manifest.json"), bytes);
  writeFileSync(join(dir, "manifest.sig"), `${(await signer.sign(bytes)).toString("base64")}\n`);
  writeFileSync(join(dir, "manifest.pub.pem"), signer.publicKeyPem);
}

/** Edit manifest.json in place without re-signing (what verify must catch). */
function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  edit(m);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(m, null, 2));
}

let root: string;
/** A real bundle of the example estate written by `cipherproof scan`. */
let bundle: string;
let findingsText: string;

beforeAll(() => {
  root = tempDir("cipherproof-tamper-");
  bundle = join(root, "b1");
  const r = runCli(["scan", "--snapshot", EXAMPLE, "--out", bundle]);
  expect([0, 1], r.stderr).toContain(r.code);
  findingsText = readFileSync(join(bundle, "findings.json"), "utf8");
});

/** A fresh copy of the example bundle. */
function copyBundle(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(bundle, dir, { recursive: true });
  return dir;
}

/** The example findings document, changed by `edit`, written to a new file. */
function findingsFile(name: string, edit: (d: Record<string, any>) => void): string {
  const d = JSON.parse(findingsText);
  edit(d);
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(d, null, 2));
  return file;
}

describe("deeply nested JSON (defect 2)", () => {
  it("locateJsonError finds the end of 7,400 and 200,000 unclosed arrays without recursion", () => {
    const text = `{"configurationItems":${"[".repeat(7400)}`;
    expect(locateJsonError(text)).toEqual({ offset: text.length, reason: "unexpected end of input" });
    const deeper = "[".repeat(200_000);
    expect(locateJsonError(deeper)).toEqual({ offset: 200_000, reason: "unexpected end of input" });
    expect(locateJsonError(`${"[".repeat(50_000)}1,]`)).toEqual({
      offset: 50_002,
      reason: "trailing comma before ]",
    });
    expect(locateJsonError(`${'{"a":'.repeat(50_000)}1}}x`)).toEqual({
      offset: 50_000 * 5 + 3,
      reason: "expected ',' or '}', found character \"x\"",
    });
  });

  it("keeps line:column for ordinary errors", () => {
    expect(() => parseJson('{\n  "a": [1, 2,],\n}', "f.json")).toThrow(CipherproofError);
    try {
      parseJson('{\n  "a": [1, 2,],\n}', "f.json");
    } catch (e) {
      expect((e as CipherproofError).location).toEqual({ file: "f.json", line: 2, column: 14 });
      expect((e as CipherproofError).message).toBe("invalid JSON: trailing comma before ]");
    }
    expect(locateJsonError('{"a" 1}')).toEqual({
      offset: 5,
      reason: "expected ':' after a property name, found character \"1\"",
    });
    expect(locateJsonError('[1, {"x": tru}]')).toEqual({ offset: 10, reason: 'unexpected character "t"' });
  });

  it("scan --snapshot, report and diff on it exit 2 with the line:column, not an internal error", () => {
    const dir = tempDir();
    const file = join(dir, "d.json");
    writeFileSync(file, `{"configurationItems":${"[".repeat(7400)}`);
    for (const args of [
      ["scan", "--snapshot", file, "--out", join(dir, "out")],
      ["report", file, "--out", join(dir, "out")],
      ["diff", file, file],
    ]) {
      const r = runCli(args, { cwd: dir });
      expectNoCrash(r);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("d.json:1:7423: invalid JSON: unexpected end of input");
      expect(existsSync(join(dir, "out"))).toBe(false);
    }
  });
  it("a findings document nested 100,000 deep inside policy parameters is refused, not rendered", () => {
    const d = JSON.parse(findingsText);
    d.policies[0].parameters = { x: "DEEP" };
    const file = join(root, "deep-parameters.json");
    // Written as text: JSON.stringify itself cannot serialize a value this deep.
    writeFileSync(file, JSON.stringify(d).replace('"DEEP"', `${"[".repeat(100_000)}${"]".repeat(100_000)}`));
    const out = join(root, "deep-parameters-out");
    const r = runCli(["report", file, "--out", out], { cwd: root });
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /error\[FINDINGS_INVALID\] .*deep-parameters\.json at \/policies\/0\/parameters\/x(\/0)+: nested more than 64 levels/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe("mistyped findings documents (defects 3 and 6)", () => {
  const cases: Array<[string, (d: Record<string, any>) => void, string]> = [
    ["resourceId null", (d) => (d.findings[0].resourceId = null), "/findings/0/resourceId"],
    ["resourceId {}", (d) => (d.findings[0].resourceId = {}), "/findings/0/resourceId"],
    ["policyId 7", (d) => (d.findings[0].policyId = 7), "/findings/0/policyId"],
    ["resource.name 7", (d) => (d.findings[0].resource.name = 7), "/findings/0/resource/name"],
    ["resource.account 1", (d) => (d.findings[0].resource.account = 1), "/findings/0/resource/account"],
    ["resourceType 1", (d) => (d.findings[0].resourceType = 1), "/findings/0/resourceType"],
    ["sources[0].files 'x'", (d) => (d.scan.sources[0].files = "x"), "/scan/sources/0/files"],
    ["details 'x'", (d) => (d.findings[0].details = "x"), "/findings/0/details"],
    ["message 3", (d) => (d.findings[0].message = 3), "/findings/0/message"],
    ["status 'ok'", (d) => (d.findings[0].status = "ok"), "/findings/0/status"],
    ["severity 'urgent'", (d) => (d.findings[0].severity = "urgent"), "/findings/0/severity"],
    [
      "waiver.expired 'no'",
      (d) => (d.findings[0].waiver = { ...waiver(), expired: "no" }),
      "/findings/0/waiver/expired",
    ],
    ["accounts [1]", (d) => (d.scan.accounts = [1]), "/scan/accounts/0"],
    ["policies[0].references 'x'", (d) => (d.policies[0].references = "x"), "/policies/0/references"],
    [
      "waivers[0] policy 5",
      (d) => (d.waivers = [{ ...waiver(), state: "active", policy: 5 }]),
      "/waivers/0/policy",
    ],
    [
      "evidence sha256 5",
      (d) => (d.resources[0].evidence = [{ call: "x", sha256: 5 }]),
      "/resources/0/evidence/0/sha256",
    ],
    ["scan.startedAt 'monday'", (d) => (d.scan.startedAt = "monday"), "/scan/startedAt"],
    [
      "every evaluatedAt 'yesterday'",
      (d) => {
        for (const f of d.findings) f.evaluatedAt = "yesterday";
      },
      "/findings/0/evaluatedAt",
    ],
    [
      "evaluatedAt a leap second",
      (d) => (d.findings[0].evaluatedAt = "2016-12-31T23:59:60Z"),
      "/findings/0/evaluatedAt",
    ],
  ];
  function waiver() {
    return {
      policy: "p",
      resource: "*",
      reason: "r",
      owner: "o",
      ticket: "T-1",
      expires: "2030-01-01",
      expired: false,
    };
  }

  it.each(cases)(
    "%s: report and diff exit 2 with FINDINGS_INVALID at the pointer, nothing written",
    (name, edit, pointer) => {
      const file = findingsFile(`${name.replace(/\W+/g, "_")}.json`, edit);
      const out = join(root, `out-${name.replace(/\W+/g, "_")}`);
      const r = runCli(["report", file, "--out", out], { cwd: root });
      expectNoCrash(r);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`error[FINDINGS_INVALID] ${file} at ${pointer}:`);
      expect(filesIn(out)).toEqual([]);
      const d = runCli(["diff", file, join(bundle, "findings.json")], { cwd: root });
      expectNoCrash(d);
      expect(d.code, d.stderr).toBe(2);
      expect(d.stderr).toContain(`at ${pointer}:`);
    },
  );

  it("the rebuild schema types every field the same way as the published findings schema", () => {
    const published = JSON.parse(readFileSync(join(ROOT, "docs", "findings.schema.json"), "utf8"));
    const resolveRef = (s: any): any =>
      s?.$ref ? resolveRef(published.definitions[s.$ref.replace("#/definitions/", "")]) : s;
    const mismatches: string[] = [];
    const walk = (ours: any, theirs: any, path: string) => {
      theirs = resolveRef(theirs);
      if (!theirs) return; // a field the published schema does not describe (allowed in 1.x)
      if (ours.type !== undefined && theirs.type !== undefined) {
        const a = [ours.type].flat().map((t: string) => (t === "integer" ? "number" : t));
        const b = [theirs.type].flat().map((t: string) => (t === "integer" ? "number" : t));
        if (a.sort().join() !== b.sort().join())
          mismatches.push(`${path}: type ${ours.type} vs ${theirs.type}`);
      }
      const enumOf = (s: any) => s.enum ?? (s.const !== undefined ? [s.const] : undefined);
      if (
        ours.enum &&
        enumOf(theirs) &&
        ours.enum.slice().sort().join() !== enumOf(theirs).slice().sort().join()
      )
        mismatches.push(`${path}: enum ${ours.enum} vs ${enumOf(theirs)}`);
      if (ours.format && ours.format !== theirs.format)
        mismatches.push(`${path}: format ${ours.format} vs ${theirs.format}`);
      for (const [k, v] of Object.entries(ours.properties ?? {}))
        walk(v, theirs.properties?.[k], `${path}/${k}`);
      if (ours.items) walk(ours.items, theirs.items, `${path}/items`);
      if (typeof ours.additionalProperties === "object" && typeof theirs.additionalProperties === "object")
        walk(ours.additionalProperties, theirs.additionalProperties, `${path}/*`);
      // Everything we require, the published schema requires too (ours may require less, never more).
      for (const k of ours.required ?? [])
        if (!(theirs.required ?? []).includes(k))
          mismatches.push(`${path}: requires ${k}, the contract does not`);
    };
    walk(FINDINGS_DOCUMENT_SCHEMA, published, "");
    expect(mismatches).toEqual([]);
    // Every finding field the published schema requires is typed (not just required) here.
    const findingProps = FINDINGS_DOCUMENT_SCHEMA.properties.findings.items.properties as Record<
      string,
      unknown
    >;
    for (const k of published.definitions.finding.required) expect(Object.keys(findingProps)).toContain(k);
  });

  it("a verified bundle whose findings have unplaceable times is refused by period naming it, not dropped", async () => {
    const bad = copyBundle("period-bad");
    const d = JSON.parse(findingsText);
    for (const f of d.findings) f.evaluatedAt = "yesterday";
    await resign(bad, () => {}, { "findings.json": JSON.stringify(d, null, 2) });
    expect(runCli(["verify", bad]).code).toBe(0);
    const good = copyBundle("period-good");
    const out = join(root, "period-out");
    const r = runCli(["period", bad, good, "--out", out], { cwd: root });
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(join(bad, "findings.json"));
    expect(r.stderr).toContain("/findings/0/evaluatedAt");
    expect(filesIn(out)).toEqual([]);
  });

  it("buildPeriod refuses a scan whose time does not parse, naming its source", () => {
    const scan = (source: string, at: string) => ({ source, scanId: source, at, controls: [], findings: [] });
    expect(() => buildPeriod([scan("good", "2026-01-01T00:00:00Z"), scan("pb", "yesterday")])).toThrow(
      expect.objectContaining({ code: "BUNDLE_INVALID", location: { file: "pb" } }),
    );
    expect(() => buildPeriod([scan("pb", "2016-12-31T23:59:60Z")])).toThrow(/not a date/);
  });
});

describe("tampered manifests (defect 4)", () => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    [
      "signature.key deleted",
      (dir) => editManifest(dir, (m) => delete (m.signature as Record<string, unknown>).key),
      /FAILED manifest: manifest\.json — .*at \/signature missing required field "key"/,
    ],
    [
      "signature.key.publicKeySha256 a number",
      (dir) =>
        editManifest(dir, (m) => ((m.signature as { key: Record<string, unknown> }).key.publicKeySha256 = 7)),
      /FAILED manifest: manifest\.json — .*at \/signature\/key\/publicKeySha256 is 7/,
    ],
    [
      "signature null",
      (dir) => editManifest(dir, (m) => (m.signature = null)),
      /FAILED manifest: manifest\.json — .*at \/signature is null/,
    ],
    [
      "files[0].size a string",
      (dir) => editManifest(dir, (m) => ((m.files as Array<Record<string, unknown>>)[0].size = "12")),
      /FAILED manifest: manifest\.json — .*at \/files\/0\/size/,
    ],
    [
      "files not a list",
      (dir) => editManifest(dir, (m) => (m.files = {})),
      /FAILED manifest: manifest\.json — .*at \/files is \{\}/,
    ],
    [
      "scan missing",
      (dir) => editManifest(dir, (m) => delete m.scan),
      /FAILED manifest: manifest\.json — .*missing required field "scan"/,
    ],
    [
      "a listed path outside the bundle",
      (dir) => editManifest(dir, (m) => ((m.files as Array<Record<string, unknown>>)[0].path = "../x")),
      /FAILED manifest: manifest\.json — .*\/files\/0\/path/,
    ],
    [
      "manifest.json is null",
      (dir) => writeFileSync(join(dir, "manifest.json"), "null"),
      /FAILED manifest: manifest\.json — manifest\.json is not a valid manifest/,
    ],
    [
      "manifest.json replaced by a folder",
      (dir) => {
        unlinkSync(join(dir, "manifest.json"));
        mkdirSync(join(dir, "manifest.json"));
      },
      /FAILED manifest: manifest\.json — manifest\.json is a folder, not a file/,
    ],
    [
      "manifest.sig replaced by a folder",
      (dir) => {
        unlinkSync(join(dir, "manifest.sig"));
        mkdirSync(join(dir, "manifest.sig"));
      },
      /FAILED signature: manifest\.sig — manifest\.sig is a folder, not a file/,
    ],
    [
      "manifest.pub.pem replaced by a folder",
      (dir) => {
        unlinkSync(join(dir, "manifest.pub.pem"));
        mkdirSync(join(dir, "manifest.pub.pem"));
      },
      /FAILED changed: manifest\.pub\.pem — manifest\.pub\.pem is a folder, not a file/,
    ],
    [
      "manifest.sig a symbolic link to a device",
      (dir) => {
        unlinkSync(join(dir, "manifest.sig"));
        symlinkSync("/dev/zero", join(dir, "manifest.sig"));
      },
      /FAILED signature: manifest\.sig — manifest\.sig is a symbolic link, not a file/,
    ],
    [
      "a listed file replaced by a symbolic link to a device",
      (dir) => {
        unlinkSync(join(dir, "report.md"));
        symlinkSync("/dev/zero", join(dir, "report.md"));
      },
      /FAILED changed: report\.md — report\.md is a symbolic link, not a file/,
    ],
  ];

  it.each(cases)(
    "%s: verify FAILED (exit 1) naming the file; diff, merge, period, scan --baseline refuse it (exit 2)",
    (name, tamper, expected) => {
      const dir = copyBundle(`tampered-${name.replace(/\W+/g, "_")}`);
      tamper(dir);
      const v = runCli(["verify", dir], { cwd: root });
      expectNoCrash(v);
      expect(v.code, v.stderr).toBe(1);
      expect(v.stderr).toMatch(expected);
      expect(v.stderr).toContain(`verification FAILED for ${dir}`);
      const out = join(root, `out-${name.replace(/\W+/g, "_")}`);
      for (const args of [
        ["diff", dir, bundle],
        ["merge", dir, bundle, "--out", out],
        ["period", dir, bundle, "--out", out],
        ["scan", "--snapshot", EXAMPLE, "--baseline", dir, "--out", out],
      ]) {
        const r = runCli(args, { cwd: root });
        expectNoCrash(r);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`error[BUNDLE_INVALID] ${dir}: bundle does not verify`);
        expect(filesIn(out)).toEqual([]);
      }
    },
  );
});

describe("malformed encryption blocks (defect 5)", () => {
  let encrypted: string;
  let kek: string;
  beforeAll(() => {
    kek = join(root, "kek.bin");
    writeFileSync(kek, Buffer.alloc(32, 7));
    encrypted = join(root, "eb");
    const r = runCli(["scan", "--snapshot", EXAMPLE, "--encrypt-with", `file:${kek}`, "--out", encrypted]);
    expect([0, 1], r.stderr).toContain(r.code);
  });

  type DataKey = Record<string, unknown>;
  const dataKey = (m: Manifest) => m.encryption!.dataKey as unknown as DataKey;
  const cases: Array<[string, (m: Manifest) => void, string]> = [
    ["iv empty", (m) => (dataKey(m).iv = ""), "/encryption/dataKey/iv"],
    ["iv 8 bytes", (m) => (dataKey(m).iv = Buffer.alloc(8).toString("base64")), "/encryption/dataKey/iv"],
    ["iv a number", (m) => (dataKey(m).iv = 5), "/encryption/dataKey/iv"],
    ["tag 4 bytes", (m) => (dataKey(m).tag = "AAAAAA=="), "/encryption/dataKey/tag"],
    ["tag not base64", (m) => (dataKey(m).tag = "!!!!!!!!!!!!!!!!!!!!!!!!"), "/encryption/dataKey/tag"],
    [
      "ciphertext 31 bytes",
      (m) => (dataKey(m).ciphertext = Buffer.alloc(31).toString("base64")),
      "/encryption/dataKey/ciphertext",
    ],
    ["keyFingerprint missing", (m) => delete dataKey(m).keyFingerprint, "/encryption/dataKey/keyFingerprint"],
    ["wrap unknown", (m) => (dataKey(m).wrap = "rot13"), "/encryption/dataKey/wrap"],
    [
      "algorithm AES-128-CBC",
      (m) => ((m.encryption as unknown as DataKey).algorithm = "AES-128-CBC"),
      "/encryption/algorithm",
    ],
    [
      "fileFormat v2",
      (m) => ((m.encryption as unknown as DataKey).fileFormat = "cipherproof-enc-v2"),
      "/encryption/fileFormat",
    ],
    [
      "a KMS wrap without a ciphertext blob",
      (m) => (m.encryption!.dataKey = { wrap: "kms", keyId: "k", encryptionContext: {} } as never),
      "/encryption/dataKey/ciphertextBlob",
    ],
  ];

  it.each(cases)(
    "%s: the re-signed bundle verifies, decrypt exits 2 with BUNDLE_INVALID at the pointer, nothing written",
    async (name, edit, pointer) => {
      const dir = join(root, `eb-${name.replace(/\W+/g, "_")}`);
      rmSync(dir, { recursive: true, force: true });
      cpSync(encrypted, dir, { recursive: true });
      await resign(dir, edit);
      expect(runCli(["verify", dir]).code).toBe(0);
      const out = join(root, `dec-${name.replace(/\W+/g, "_")}`);
      const r = runCli(["decrypt", dir, "--key", `file:${kek}`, "--out", out], { cwd: root });
      expectNoCrash(r);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`error[BUNDLE_INVALID] ${join(dir, "manifest.json")} at ${pointer}:`);
      expect(existsSync(out)).toBe(false);
    },
  );

  it("a plaintext file listed in an encrypted bundle is refused instead of silently left out", async () => {
    const dir = join(root, "eb-plain");
    rmSync(dir, { recursive: true, force: true });
    cpSync(encrypted, dir, { recursive: true });
    writeFileSync(join(dir, "extra.txt"), "x");
    await resign(dir, (m) => m.files.push({ path: "extra.txt", sha256: sha(Buffer.from("x")), size: 1 }));
    const out = join(root, "dec-plain");
    const r = runCli(["decrypt", dir, "--key", `file:${kek}`, "--out", out], { cwd: root });
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/BUNDLE_INVALID.*lists extra\.txt, which is not an encrypted/);
    expect(existsSync(out)).toBe(false);
  });

  it("the untouched encrypted bundle still decrypts", () => {
    const out = join(root, "dec-ok");
    const r = runCli(["decrypt", encrypted, "--key", `file:${kek}`, "--out", out], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(filesIn(out)).toContain("findings.json");
  });
});

describe("repeated finding ids never let a pass win (defect 1)", () => {
  const AS_OF = "2026-11-23T00:00:00.000Z";
  let bA: string;
  let bB: string;
  const storage = (file: string) =>
    (JSON.parse(readFileSync(file, "utf8")).findings as Finding[])
      .filter(
        (f) => f.policyId === "rds-instance-storage-encrypted" && f.resource.name === "medledger-patients-db",
      )
      .map((f) => f.status);

  beforeAll(async () => {
    const base = (
      await collectSnapshots(
        [
          join(EXAMPLE, "config-snapshot-us-east-1.json.gz"),
          join(EXAMPLE, "config-snapshot-us-west-2.json.gz"),
        ],
        { now: new Date(AS_OF) },
      )
    ).resources;
    // A: the database captured unencrypted; B: captured (earlier) encrypted; both evaluated as of the same time.
    const variant = async (name: string, encrypted: boolean, capturedAt: string) => {
      const docs: ResourceDocument[] = structuredClone(base);
      const db = docs.find((d) => d.type === "aws.rds.db_instance" && d.name === "medledger-patients-db")!;
      db.properties.storageEncrypted = encrypted;
      db.collectedAt = capturedAt;
      const now = new Date(AS_OF);
      const result = await scan({ resources: docs, now });
      const dir = join(root, name);
      await writeBundle(dir, result, { now, formats: ["json", "md"] });
      return dir;
    };
    bA = await variant("tie-A", false, "2026-11-22T00:00:00.000Z");
    bB = await variant("tie-B", true, "2026-10-01T00:00:00.000Z");
    expect(storage(join(bA, "findings.json"))).toEqual(["fail"]);
    expect(storage(join(bB, "findings.json"))).toEqual(["pass"]);
  });

  it("merge keeps the failure in either order when the evaluations tie, and says why", () => {
    for (const [name, inputs] of [
      ["AB", [bA, bB]],
      ["BA", [bB, bA]],
    ] as const) {
      const out = join(root, `merged-${name}`);
      const r = runCli(["merge", ...inputs, "--out", out], { cwd: root });
      expectNoCrash(r);
      expect(r.code, r.stderr).toBe(0);
      expect(storage(join(out, "findings.json"))).toEqual(["fail"]);
      expect(r.stderr).toMatch(/evaluations at the same time, so the worse status was kept/);
      expect(r.stderr).toMatch(/pass\/fail → fail|fail\/pass → fail/);
      expect(r.stderr).not.toMatch(/the most recent evaluation was kept/);
    }
  });

  it("merge still keeps the most recent evaluation when the times differ", () => {
    const mk = (status: Finding["status"], evaluatedAt: string) =>
      ({ id: "x", status, severity: "high", evaluatedAt }) as Finding;
    expect(
      preferFinding(mk("fail", "2026-01-01T00:00:00Z"), mk("pass", "2026-01-02T00:00:00Z")).keep.status,
    ).toBe("pass");
    expect(
      preferFinding(mk("pass", "2026-01-02T00:00:00Z"), mk("fail", "2026-01-01T00:00:00Z")).keep.status,
    ).toBe("pass");
    // The same instant written two ways is a tie.
    expect(
      preferFinding(mk("pass", "2026-01-01T00:00:00Z"), mk("fail", "2026-01-01T00:00:00.000Z")),
    ).toMatchObject({ keep: { status: "fail" }, tie: true });
    // Ties rank fail > error > waived > not_applicable > pass, whatever the order.
    const statuses: Finding["status"][] = ["pass", "not_applicable", "waived", "error", "fail"];
    for (const a of statuses)
      for (const b of statuses) {
        const worse = statuses.indexOf(a) > statuses.indexOf(b) ? a : b;
        const kept = dedupeFindings([mk(a, "2026-01-01T00:00:00Z"), mk(b, "2026-01-01T00:00:00Z")]);
        expect(kept.findings.map((f) => f.status)).toEqual([worse]);
      }
  });

  it("an id repeated within one bundle: merge, diff and period keep the failure, with a warning", async () => {
    const dir = copyBundle("dup-within");
    const d = JSON.parse(findingsText) as { findings: Finding[] };
    const failing = d.findings.find((f) => f.status === "fail")!;
    // The passing copy comes last: a reader that keeps the last one would show a pass.
    d.findings.push({ ...failing, status: "pass", message: "ok", details: [] });
    await resign(dir, () => {}, { "findings.json": JSON.stringify(d, null, 2) });
    expect(runCli(["verify", dir]).code).toBe(0);

    const merged = join(root, "dup-merged");
    const m = runCli(["merge", dir, "--out", merged], { cwd: root });
    expect(m.code, m.stderr).toBe(0);
    const out = (
      JSON.parse(readFileSync(join(merged, "findings.json"), "utf8")).findings as Finding[]
    ).filter((f) => f.id === failing.id);
    expect(out.map((f) => f.status)).toEqual(["fail"]);
    expect(m.stderr).toMatch(/worse status was kept/);

    const diff = runCli(["diff", bundle, dir, "--json"], { cwd: root });
    expect(diff.code, diff.stderr).toBe(0);
    const drift = JSON.parse(diff.stdout);
    expect(drift.resolved.map((e: { id: string }) => e.id)).not.toContain(failing.id);
    expect(drift.unchanged.map((e: { id: string }) => e.id)).toContain(failing.id);
    expect(diff.stderr).toMatch(/within .*dup-within.*worse status was kept/);

    const periodOut = join(root, "dup-period");
    const p = runCli(["period", dir, "--out", periodOut], { cwd: root });
    expect(p.code, p.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(periodOut, "period.json"), "utf8"));
    const row = report.findings.find((f: { id: string }) => f.id === failing.id);
    expect(row.timeline).toEqual(["fail"]);
    expect(p.stderr).toMatch(/worse status was kept/);
  });

  it("diffFindings does not let the pass copy of a repeated id win; a baseline settles it by the same rule", () => {
    const f = (status: Finding["status"]) =>
      ({
        id: "dup",
        policyId: "p",
        resourceId: "r",
        status,
        severity: "high",
        title: "t",
        message: "m",
        resource: { name: "n", source: "s" },
        evaluatedAt: "2026-01-01T00:00:00Z",
      }) as Finding;
    expect(diffFindings([f("fail")], [f("fail"), f("pass")]).unchanged.map((e) => e.after)).toEqual(["fail"]);
    expect(diffFindings([f("fail")], [f("pass"), f("fail")]).resolved).toEqual([]);
    // A baseline with the id twice settles it by the same rule, in either order.
    for (const base of [
      [f("pass"), f("fail")],
      [f("fail"), f("pass")],
    ])
      expect(gateAgainstBaseline([f("fail")], base, "info", false).knownViolations).toHaveLength(1);
  });
});

describe("evidence files of a bundle signed again after an edit (merge reads them)", () => {
  it.each([
    ["not JSON", '{"resources": [', /error\[JSON_SYNTAX\] .*evidence\/.*\.json:1:/],
    [
      "a resource without its fields",
      JSON.stringify({ resources: [{ id: 1 }] }),
      /error\[BUNDLE_INVALID\] .*evidence\/.*\.json at \/resources\/0/,
    ],
    [
      "no resources list",
      JSON.stringify({ resources: "x" }),
      /error\[BUNDLE_INVALID\] .*evidence\/.*\.json at \/resources/,
    ],
    [
      "nesting past 64 levels",
      `{"resources":[{"properties":${"[".repeat(100)}${"]".repeat(100)}}]}`,
      /error\[BUNDLE_INVALID\] .*nested more than 64 levels/,
    ],
  ])("%s: merge exits 2 naming the file, writes nothing", async (name, content, message) => {
    const other = join(root, "merge-other");
    if (!existsSync(other)) {
      const r = runCli(["scan", "--snapshot", EXAMPLE, "--out", other]);
      expect([0, 1], r.stderr).toContain(r.code);
    }
    const dir = copyBundle(`evidence-${name.replace(/\W+/g, "_")}`);
    const evidenceFile = filesIn(join(dir, "evidence")).find((f) => f.endsWith(".json"));
    if (!evidenceFile) throw new Error("the example bundle has no evidence file");
    await resign(dir, () => {}, { [`evidence/${evidenceFile}`]: content });
    expect(runCli(["verify", dir]).code).toBe(0);
    const out = join(root, `merged-evidence-${name.replace(/\W+/g, "_")}`);
    const r = runCli(["merge", dir, other, "--out", out], { cwd: root });
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
