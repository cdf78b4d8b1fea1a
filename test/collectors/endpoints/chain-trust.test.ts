import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCa, openssl } from "../../support/openssl.js";
import { Fleet, need, scanLocalTls, tempDir } from "./support.js";

// The certificate handshake runs at OpenSSL security level 0 so legacy servers still show their certificate; that
// level also accepts a SHA-1 signature on an intermediate, which browsers and a default client refuse.
const ready = [need("openssl")].every(Boolean);

describe.skipIf(!ready)("chain trust: a CA certificate signed with SHA-1 breaks the chain", () => {
  const fleet = new Fleet();
  const dir = tempDir("cipherproof-chain-");
  fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));

  /** Root → intermediate signed with `md` → leaf for localhost; returns the s_server port. */
  const serve = async (name: string, md: "sha1" | "sha256") => {
    writeFileSync(
      join(dir, `${name}-ca.ext`),
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
    );
    writeFileSync(join(dir, `${name}-leaf.ext`), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    const req = (key: string, cn: string) =>
      openssl(
        [
          "req",
          "-new",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          `${key}.key`,
          "-out",
          `${key}.csr`,
          "-subj",
          `/CN=${cn}`,
        ],
        dir,
      );
    const sign = (csr: string, ca: string, days: string, digest: string, ext: string) =>
      openssl(
        [
          "x509",
          "-req",
          "-in",
          `${csr}.csr`,
          "-CA",
          `${ca}.pem`,
          "-CAkey",
          `${ca}.key`,
          "-CAcreateserial",
          "-out",
          `${csr}.pem`,
          "-days",
          days,
          `-${digest}`,
          "-extfile",
          ext,
        ],
        dir,
      );
    req(`${name}-int`, `Intermediate ${name}`);
    sign(`${name}-int`, "root", "365", md, `${name}-ca.ext`);
    req(`${name}-leaf`, "localhost");
    sign(`${name}-leaf`, `${name}-int`, "90", "sha256", `${name}-leaf.ext`);
    return fleet.sServer(["-cipher", "ALL:@SECLEVEL=0", "-cert_chain", join(dir, `${name}-int.pem`)], {
      cert: join(dir, `${name}-leaf.pem`),
      key: join(dir, `${name}-leaf.key`),
    });
  };

  let weak = 0;
  let strong = 0;
  beforeAll(async () => {
    makeCa(dir, "root", "Cipherproof Chain Root", 3650);
    weak = await serve("weak", "sha1");
    strong = await serve("strong", "sha256");
  }, 60_000);
  afterAll(() => fleet.stop());

  it("an intermediate signed with SHA-1 is not trusted; the same chain signed with SHA-256 is", async () => {
    const bad = await scanLocalTls(weak, join(dir, "root.pem"));
    expect(bad.props.certificateTrusted).toBe(false);
    expect(bad.props.certificateTrustError).toMatch(/Intermediate weak is signed with SHA1/);
    expect(bad.status("endpoint-tls-certificate-trusted")).toBe("fail");
    const good = await scanLocalTls(strong, join(dir, "root.pem"));
    expect(good.props.certificateTrusted).toBe(true);
    expect(good.status("endpoint-tls-certificate-trusted")).toBe("pass");
  }, 60_000);
});
