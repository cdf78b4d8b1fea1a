import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listFiles, type Manifest, renderBundle, writeBundle } from "../../src/evidence/bundle.js";
import { decryptBundle } from "../../src/evidence/decrypt.js";
import { decryptFile, encryptFile, readKeyFile } from "../../src/evidence/encryption.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "../reporters/fixtures.js";
import { tempDir } from "../support/cli.js";

describe("evidence bundle encryption with a local key file", () => {
  let result: ScanResult;
  let keyDir: string;
  let key: string;
  beforeAll(async () => {
    result = await sampleScan();
    keyDir = tempDir();
    key = join(keyDir, "bundle.key");
    writeFileSync(key, randomBytes(32));
  });

  it("encrypts every listed file (.enc), keeps the manifest readable and signed, and verifies", async () => {
    const dir = join(tempDir(), "enc");
    await writeBundle(dir, result, { encryption: { kind: "file", path: key } });
    const files = listFiles(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.encryption?.algorithm).toBe("AES-256-GCM");
    expect(manifest.encryption?.dataKey.wrap).toBe("AES-256-GCM");
    for (const f of manifest.files) {
      expect(f.path.endsWith(".enc")).toBe(true);
      expect(f.encrypted).toBe(true);
      const bytes = readFileSync(join(dir, f.path));
      expect(bytes.subarray(0, 5).toString()).toBe("CPENC");
    }
    expect(files.filter((f) => !f.endsWith(".enc")).sort()).toEqual([
      "manifest.json",
      "manifest.pub.pem",
      "manifest.sig",
    ]);
    // no plaintext leaks into the encrypted files or the manifest
    const all = files.map((f) => readFileSync(join(dir, f)).toString("latin1")).join("");
    expect(all).not.toContain("patients-db");
    expect(JSON.stringify(manifest)).not.toContain(readFileSync(key).toString("base64"));
    expect((await verifyBundle(dir)).ok).toBe(true);
  });

  it("round-trips: decrypt gives back exactly the plaintext files", async () => {
    const dir = join(tempDir(), "enc");
    await writeBundle(dir, result, {
      encryption: { kind: "file", path: key },
      now: new Date("2026-11-22T10:00:00Z"),
    });
    const out = join(tempDir(), "plain");
    const r = await decryptBundle(dir, out, { kind: "file", path: key });
    expect(r.verification.ok).toBe(true);
    const plain = await renderBundle(result, { now: new Date("2026-11-22T10:00:00Z") });
    const names = [...plain.files.keys()].filter((n) => !n.startsWith("manifest.")).sort();
    expect(listFiles(out)).toEqual(names);
    for (const n of names) expect(readFileSync(join(out, n)).equals(plain.files.get(n)!), n).toBe(true);
  });

  it("fails clearly with a wrong key and writes nothing", async () => {
    const dir = join(tempDir(), "enc");
    await writeBundle(dir, result, { encryption: { kind: "file", path: key } });
    const wrong = join(keyDir, "wrong.key");
    writeFileSync(wrong, randomBytes(32).toString("hex"));
    const out = join(tempDir(), "plain");
    await expect(decryptBundle(dir, out, { kind: "file", path: wrong })).rejects.toMatchObject({
      code: "KEY_INVALID",
      message: expect.stringMatching(/^wrong key/),
    });
    expect(existsSync(out)).toBe(false);
    await expect(decryptBundle(dir, out, { kind: "kms", keyId: "alias/x" })).rejects.toThrow(
      /wrapped with a local key file, not KMS/,
    );
  });

  it("does not decrypt a bundle that fails verification", async () => {
    const dir = join(tempDir(), "enc");
    await writeBundle(dir, result, { encryption: { kind: "file", path: key } });
    const p = join(dir, "report.html.enc");
    const b = readFileSync(p);
    b[b.length - 1] ^= 0xff;
    writeFileSync(p, b);
    const out = join(tempDir(), "plain");
    const r = await decryptBundle(dir, out, { kind: "file", path: key });
    expect(r.verification.ok).toBe(false);
    expect(r.verification.problems[0].file).toBe("report.html.enc");
    expect(existsSync(out)).toBe(false);
  });

  it("binds each encrypted file to its path and authenticates it", () => {
    const k = randomBytes(32);
    const enc = encryptFile(k, "report.html", Buffer.from("hello"));
    expect(decryptFile(k, "report.html", enc).toString()).toBe("hello");
    expect(() => decryptFile(k, "report.md", enc)).toThrow(/does not authenticate/);
    const flipped = Buffer.from(enc);
    flipped[20] ^= 1;
    expect(() => decryptFile(k, "report.html", flipped)).toThrow(/does not authenticate/);
    expect(() => decryptFile(k, "report.html", Buffer.from("garbage"))).toThrow(/bad header/);
  });

  it("reads 32-byte key files raw, hex or base64 and rejects anything else", () => {
    const dir = tempDir();
    const raw = randomBytes(32);
    writeFileSync(join(dir, "raw"), raw);
    writeFileSync(join(dir, "hex"), `${raw.toString("hex")}\n`);
    writeFileSync(join(dir, "b64"), raw.toString("base64"));
    writeFileSync(join(dir, "short"), "abc");
    for (const f of ["raw", "hex", "b64"]) expect(readKeyFile(join(dir, f)).equals(raw)).toBe(true);
    expect(() => readKeyFile(join(dir, "short"))).toThrow(/32-byte key/);
  });
});
