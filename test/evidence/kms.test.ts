import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Manifest, writeBundle } from "../../src/evidence/bundle.js";
import { decryptBundle } from "../../src/evidence/decrypt.js";
import { readPublicKey } from "../../src/evidence/signing.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan } from "../reporters/fixtures.js";
import { type KmsStub, startKmsStub } from "../support/aws-kms-stub.js";
import { tempDir } from "../support/cli.js";

// The real @aws-sdk/client-kms talks awsJson1_1 over HTTP to the local stand-in (test/support/aws-kms-stub.ts).
describe("KMS signing and encryption (real SDK client, local KMS stand-in)", () => {
  let kms: KmsStub;
  let result: ScanResult;
  const env = { ...process.env };
  beforeAll(async () => {
    kms = await startKmsStub();
    process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
    process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
    delete process.env.AWS_PROFILE;
    result = await sampleScan();
  });
  afterAll(async () => {
    process.env = env;
    await kms.close();
  });
  const conn = () => ({ endpoint: kms.endpoint, region: kms.region });

  for (const spec of ["ECC_NIST_P256", "RSA_2048"] as const) {
    it(`signs the manifest with a ${spec} key and verifies locally and with KMS Verify`, async () => {
      const keyArn = kms.createKey(spec, `sign-${spec.toLowerCase()}`);
      const dir = join(tempDir(), "b");
      const w = await writeBundle(dir, result, {
        signing: { kind: "kms", keyId: `alias/sign-${spec.toLowerCase()}` },
        kms: conn(),
        formats: ["json", "sarif"],
      });
      expect(w.manifest.signature.algorithm).toBe(
        spec === "ECC_NIST_P256" ? "ECDSA_SHA_256" : "RSASSA_PSS_SHA_256",
      );
      expect(w.manifest.signature.key.kmsKeyId).toBe(keyArn);
      const signCall = kms.calls.filter((c) => c.op === "Sign").at(-1)!;
      expect(signCall.body.MessageType).toBe("RAW");
      expect(Buffer.from(String(signCall.body.Message), "base64")).toHaveLength(32);
      // local check with the public key KMS returned, kept outside the bundle
      const pub = join(tempDir(), "kms.pub.pem");
      writeFileSync(pub, readFileSync(join(dir, "manifest.pub.pem")));
      expect((await verifyBundle(dir, { publicKey: readPublicKey(pub) })).ok).toBe(true);
      expect((await verifyBundle(dir, { kmsKeyId: keyArn, kms: conn() })).ok).toBe(true);
      // tampering is caught by both
      writeFileSync(
        join(dir, "manifest.json"),
        readFileSync(join(dir, "manifest.json"), "utf8").replace(
          result.scanId,
          "00000000-0000-0000-0000-000000000000",
        ),
      );
      expect((await verifyBundle(dir, { publicKey: readPublicKey(pub) })).problems[0]).toMatchObject({
        file: "manifest.json",
        problem: "signature",
      });
      expect((await verifyBundle(dir, { kmsKeyId: keyArn, kms: conn() })).ok).toBe(false);
    });
  }

  it("refuses a KMS key that cannot sign, with a clear message", async () => {
    const sym = kms.createKey("SYMMETRIC_DEFAULT");
    await expect(
      writeBundle(join(tempDir(), "b"), result, { signing: { kind: "kms", keyId: sym }, kms: conn() }),
    ).rejects.toThrow(/GetPublicKey .* failed: UnsupportedOperationException/);
    await expect(
      writeBundle(join(tempDir(), "b"), result, {
        signing: { kind: "kms", keyId: "alias/nope" },
        kms: conn(),
      }),
    ).rejects.toMatchObject({
      code: "KEY_INVALID",
      hint: expect.stringMatching(/key id or ARN/),
    });
  });

  it("encrypts with a KMS data key (GenerateDataKey) and decrypts with KMS Decrypt; a wrong key fails clearly", async () => {
    const dataKeyArn = kms.createKey("SYMMETRIC_DEFAULT", "evidence");
    const other = kms.createKey("SYMMETRIC_DEFAULT");
    const dir = join(tempDir(), "b");
    const w = await writeBundle(dir, result, {
      encryption: { kind: "kms", keyId: "alias/evidence" },
      kms: conn(),
    });
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(m.encryption?.dataKey).toMatchObject({
      wrap: "kms",
      keyId: dataKeyArn,
      encryptionContext: { "cipherproof:scan-id": result.scanId },
    });
    expect(w.manifest.files.every((f) => f.path.endsWith(".enc"))).toBe(true);
    const gdk = kms.calls.find((c) => c.op === "GenerateDataKey")!;
    expect(gdk.body).toMatchObject({
      KeySpec: "AES_256",
      EncryptionContext: { "cipherproof:scan-id": result.scanId },
    });

    const out = join(tempDir(), "plain");
    const r = await decryptBundle(dir, out, { kind: "kms", keyId: dataKeyArn }, { kms: conn() });
    expect(r.verification.ok).toBe(true);
    expect(readFileSync(join(out, "findings.json"), "utf8")).toContain(result.scanId);

    const out2 = join(tempDir(), "plain2");
    await expect(
      decryptBundle(dir, out2, { kind: "kms", keyId: other }, { kms: conn() }),
    ).rejects.toMatchObject({
      code: "KEY_INVALID",
      message: expect.stringMatching(/^wrong key: KMS key .* did not wrap this bundle's data key/),
    });
    expect(existsSync(out2)).toBe(false);
    await expect(
      decryptBundle(dir, out2, { kind: "file", path: "/nonexistent" }, { kms: conn() }),
    ).rejects.toThrow(/wrapped by KMS key/);
  });

  it("reports AccessDenied with the permission needed", async () => {
    const k = kms.createKey("SYMMETRIC_DEFAULT");
    kms.deny.add("GenerateDataKey");
    try {
      await expect(
        writeBundle(join(tempDir(), "b"), result, { encryption: { kind: "kms", keyId: k }, kms: conn() }),
      ).rejects.toMatchObject({
        code: "KEY_INVALID",
        hint: "the caller needs kms:GenerateDataKey on this key",
      });
    } finally {
      kms.deny.delete("GenerateDataKey");
    }
  });
});
