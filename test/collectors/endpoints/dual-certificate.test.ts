import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet, need, Pki, scanLocalTls, tempDir } from "./support.js";

// A server can hold an ECDSA and an RSA certificate and pick by what the client supports. A client that prefers
// ECDSA never sees the RSA one, so the scanner also asks for the other key type and judges the worse of the two.
const ready = [need("openssl")].every(Boolean);

describe.skipIf(!ready)("a server with an ECDSA and an RSA certificate", () => {
  const fleet = new Fleet();
  let dual = 0;
  let good = 0;
  let ca = "";
  beforeAll(async () => {
    const dir = tempDir("cipherproof-dualcert-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    const pki = new Pki(dir);
    ca = pki.ca;
    const ec = pki.leaf({ key: "ec" });
    const weakRsa = pki.leaf({ key: "rsa:1024", md: "sha1", days: 3000 });
    const rsa = pki.leaf({ key: "rsa:2048" });
    const args = (second: { cert: string; key: string }) => [
      "-cipher",
      "ALL:@SECLEVEL=0",
      "-dcert",
      second.cert,
      "-dkey",
      second.key,
    ];
    dual = await fleet.sServer(args(weakRsa), ec);
    good = await fleet.sServer(args(rsa), ec);
  }, 60_000);
  afterAll(() => fleet.stop());

  it("a weak RSA certificate behind a good ECDSA one fails the key, signature and lifetime policies", async () => {
    const { props, status } = await scanLocalTls(dual, ca);
    expect(props).toMatchObject({ certKeyType: "RSA", certKeyBits: 1024, certSignatureHash: "sha1" });
    expect(props.certLifetimeDays).toBeGreaterThanOrEqual(3000);
    expect(status("endpoint-tls-certificate-rsa-key-strong")).toBe("fail");
    expect(status("endpoint-tls-certificate-signature-sha256")).toBe("fail");
    expect(status("endpoint-tls-certificate-lifetime-max")).toBe("fail");
    // Which certificate each fact came from: the server's ECDSA choice first, then the weak RSA one.
    const certs = props.certificates as Array<Record<string, unknown>>;
    expect(certs.map((c) => [c.keyType, c.keyBits, c.signatureHash])).toEqual([
      ["EC", 256, "sha256"],
      ["RSA", 1024, "sha1"],
    ]);
    expect(certs[0].fingerprintSha256).toBe(props.certFingerprintSha256);
    expect(certs[1].fingerprintSha256).not.toBe(props.certFingerprintSha256);
  }, 60_000);

  it("two good certificates pass: the RSA-2048 key is judged, the rest holds for both", async () => {
    const { props, status } = await scanLocalTls(good, ca);
    expect(props).toMatchObject({ certKeyType: "RSA", certKeyBits: 2048, certSignatureHash: "sha256" });
    for (const id of [
      "endpoint-tls-certificate-rsa-key-strong",
      "endpoint-tls-certificate-signature-sha256",
      "endpoint-tls-certificate-lifetime-max",
      "endpoint-tls-certificate-trusted",
      "endpoint-tls-certificate-hostname-match",
    ])
      expect(status(id), id).toBe("pass");
  }, 60_000);
});
