import { generateKeyPairSync, sign } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CipherproofError } from "../../src/core/errors.js";
import {
  BUNDLE_FORMATS,
  listFiles,
  type Manifest,
  renderBundle,
  sha256,
  writeBundle,
} from "../../src/evidence/bundle.js";
import { createSigner, readPublicKey } from "../../src/evidence/signing.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "../reporters/fixtures.js";
import { tempDir } from "../support/cli.js";

const EXPECTED = [
  "findings.csv",
  "findings.json",
  "junit.xml",
  "manifest.json",
  "manifest.pub.pem",
  "manifest.sig",
  "report.html",
  "report.md",
  "results.sarif",
];

function ed25519Pem(dir: string): { priv: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const priv = join(dir, "signing.pem");
  const pub = join(dir, "signing.pub.pem");
  writeFileSync(priv, privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(pub, publicKey.export({ type: "spki", format: "pem" }));
  return { priv, pub };
}

describe("evidence bundle: write, sign, verify", () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await sampleScan();
  });

  async function fresh(options: Parameters<typeof writeBundle>[2] = {}) {
    const dir = join(tempDir(), "bundle");
    const w = await writeBundle(dir, result, options);
    return { dir, w };
  }

  it("writes every format, evidence per source/account/region, and a manifest with the sha256 and size of every file", async () => {
    const { dir, w } = await fresh();
    const files = listFiles(dir);
    for (const f of EXPECTED) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("evidence/")).sort()).toEqual([
      "evidence/aws-api/111122223333/us-east-1.json",
      "evidence/aws-api/444455556666/eu-west-1.json",
      "evidence/endpoint/no-account/global.json",
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(manifest).toEqual(w.manifest);
    expect(manifest.scan.id).toBe(result.scanId);
    expect(manifest.tool).toEqual(result.tool);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      files.filter((f) => !f.startsWith("manifest.")).sort(),
    );
    for (const f of manifest.files) {
      const bytes = readFileSync(join(dir, f.path));
      expect(f.sha256).toBe(sha256(bytes));
      expect(f.size).toBe(bytes.length);
    }
    expect(BUNDLE_FORMATS).toContain("evidence");
  });

  it("redacts secrets from the evidence documents but keeps identifiers", async () => {
    const { dir } = await fresh();
    const text = listFiles(dir)
      .filter((f) => f.startsWith("evidence/"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("pa55word");
    expect(text).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(text).toContain('"masterUserPassword": "[REDACTED]"');
    expect(text).toContain("postgres://admin:[REDACTED]@db.internal");
    expect(text).toContain("arn:aws:kms:us-east-1:111122223333:key/k1");
    const us = JSON.parse(readFileSync(join(dir, "evidence/aws-api/111122223333/us-east-1.json"), "utf8"));
    expect(us.redactions.byKey).toBeGreaterThan(0);
    expect(us.resources.length).toBe(result.resources.filter((r) => r.account === "111122223333").length);
  });

  it("verifies untouched, with the bundle's key and with a key file given separately", async () => {
    const dir0 = tempDir();
    const { priv, pub } = ed25519Pem(dir0);
    const { dir } = await fresh({ signing: { kind: "file", path: priv } });
    const own = await verifyBundle(dir);
    expect(own.problems).toEqual([]);
    expect(own.ok).toBe(true);
    expect(own.warnings.join(" ")).toMatch(/accidental change only/);
    const sep = await verifyBundle(dir, { publicKey: readPublicKey(pub) });
    expect(sep.ok).toBe(true);
    expect(sep.warnings).toEqual([]);
    expect(sep.checked).toBe(sep.manifest!.files.length);
  });

  it("fails naming the file when one byte changed", async () => {
    const { dir } = await fresh();
    const p = join(dir, "report.html");
    const b = readFileSync(p);
    b[100] ^= 0x01;
    writeFileSync(p, b);
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ file: "report.html", problem: "changed" })]);
  });

  it("fails naming the file when a file was removed", async () => {
    const { dir } = await fresh();
    unlinkSync(join(dir, "evidence/aws-api/444455556666/eu-west-1.json"));
    const r = await verifyBundle(dir);
    expect(r.problems).toEqual([
      expect.objectContaining({ file: "evidence/aws-api/444455556666/eu-west-1.json", problem: "removed" }),
    ]);
  });

  it("fails naming the file when a file was added (also deep inside evidence/)", async () => {
    const { dir } = await fresh();
    writeFileSync(join(dir, "extra.txt"), "x");
    mkdirSync(join(dir, "evidence", "more"));
    writeFileSync(join(dir, "evidence", "more", "fake.json"), "{}");
    const r = await verifyBundle(dir);
    expect(r.problems.map((p) => [p.file, p.problem]).sort()).toEqual([
      ["evidence/more/fake.json", "added"],
      ["extra.txt", "added"],
    ]);
  });

  it("fails on a changed manifest (signature) and on a missing signature", async () => {
    const { dir } = await fresh();
    appendFileSync(join(dir, "manifest.json"), " ");
    const r = await verifyBundle(dir);
    expect(r.problems).toEqual([expect.objectContaining({ file: "manifest.json", problem: "signature" })]);
    unlinkSync(join(dir, "manifest.sig"));
    const r2 = await verifyBundle(dir);
    expect(r2.problems).toEqual([expect.objectContaining({ file: "manifest.sig", problem: "removed" })]);
  });

  it("a re-signed bundle passes its own key but fails against the key kept elsewhere", async () => {
    const dir0 = tempDir();
    const { priv, pub } = ed25519Pem(dir0);
    const { dir } = await fresh({ signing: { kind: "file", path: priv } });
    // An attacker edits a file, rewrites the manifest and re-signs it with their own key.
    writeFileSync(join(dir, "report.md"), "all good\n");
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    const entry = m.files.find((f) => f.path === "report.md")!;
    entry.sha256 = sha256("all good\n");
    entry.size = 9;
    const attacker = await createSigner({ kind: "generated" });
    m.signature = attacker.info;
    const bytes = Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
    writeFileSync(join(dir, "manifest.json"), bytes);
    writeFileSync(join(dir, "manifest.sig"), `${(await attacker.sign(bytes)).toString("base64")}\n`);
    writeFileSync(join(dir, "manifest.pub.pem"), attacker.publicKeyPem);
    expect((await verifyBundle(dir)).ok).toBe(true);
    const r = await verifyBundle(dir, { publicKey: readPublicKey(pub) });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.file)).toContain("manifest.json");
  });

  it("rejects a signing key that is not Ed25519, without echoing it", async () => {
    const dir0 = tempDir();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    writeFileSync(join(dir0, "rsa.pem"), rsa);
    writeFileSync(
      join(dir0, "junk.pem"),
      "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVl\n-----END PRIVATE KEY-----\n",
    );
    await expect(createSigner({ kind: "file", path: join(dir0, "rsa.pem") })).rejects.toThrow(
      /rsa, not Ed25519/,
    );
    const err = await createSigner({ kind: "file", path: join(dir0, "junk.pem") }).catch((e) => e);
    expect(err).toBeInstanceOf(CipherproofError);
    expect(JSON.stringify(err) + err.message + (err.hint ?? "")).not.toContain("c2VjcmV0LXZhbHVl");
    // nothing is written when the key is bad
    const out = join(dir0, "out");
    await expect(
      writeBundle(out, result, { signing: { kind: "file", path: join(dir0, "rsa.pem") } }),
    ).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
  });

  it("replaces a previous bundle atomically, keeps .gitkeep and the SIEM .spool, and never overwrites foreign files", async () => {
    const { dir } = await fresh();
    writeFileSync(join(dir, ".gitkeep"), "");
    mkdirSync(join(dir, ".spool"));
    writeFileSync(join(dir, ".spool", "events.ndjson"), "{}\n");
    const first = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).createdAt;
    await writeBundle(dir, result, { now: new Date("2030-01-01T00:00:00Z") });
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).createdAt).not.toBe(first);
    expect(existsSync(join(dir, ".gitkeep"))).toBe(true);
    expect(readFileSync(join(dir, ".spool", "events.ndjson"), "utf8")).toBe("{}\n");
    expect((await verifyBundle(dir)).ok).toBe(true);
    // no temporary folders left beside it
    expect(
      listFiles(join(dir, "..")).filter(
        (f) => f.includes("cipherproof-tmp") || f.includes("cipherproof-old"),
      ),
    ).toEqual([]);

    const foreign = join(tempDir(), "mine");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "thesis.docx"), "precious");
    await expect(writeBundle(foreign, result)).rejects.toThrow(
      /not part of a Cipherproof bundle \(thesis.docx\)/,
    );
    expect(listFiles(foreign)).toEqual(["thesis.docx"]);
  });

  it("renders in memory with only the formats asked for", async () => {
    const r = await renderBundle(result, { formats: ["sarif", "json"] });
    expect([...r.files.keys()].sort()).toEqual([
      "findings.json",
      "manifest.json",
      "manifest.pub.pem",
      "manifest.sig",
      "results.sarif",
    ]);
  });

  it("signs exactly the manifest bytes (Ed25519 over manifest.json)", async () => {
    const dir0 = tempDir();
    const { priv } = ed25519Pem(dir0);
    const r = await renderBundle(result, { signing: { kind: "file", path: priv }, formats: ["md"] });
    const { createPrivateKey } = await import("node:crypto");
    const expected = sign(null, r.files.get("manifest.json")!, createPrivateKey(readFileSync(priv)));
    expect(r.files.get("manifest.sig")!.toString().trim()).toBe(expected.toString("base64"));
    rmSync(dir0, { recursive: true });
  });
});
