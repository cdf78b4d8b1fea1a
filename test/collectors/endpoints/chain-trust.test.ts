import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectEndpoints, parseTarget } from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import { makeCa, openssl } from "../../support/openssl.js";
import { endpointPolicies, Fleet, need, tempDir } from "./support.js";

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

  const scan = async (port: number) => {
    const t = parseTarget(`127.0.0.1:${port}`, { sni: "localhost", hostname: "localhost" });
    const { resources } = await collectEndpoints([t], { caFile: join(dir, "root.pem") });
    const tls = resources.find((d) => d.type === "endpoint.tls");
    const finding = evaluate(resources, endpointPolicies(), { now: new Date() }).findings.find(
      (f) => f.policyId === "endpoint-tls-certificate-trusted",
    );
    return { tls, status: finding?.status };
  };

  it("an intermediate signed with SHA-1 is not trusted; the same chain signed with SHA-256 is", async () => {
    const bad = await scan(weak);
    expect(bad.tls?.properties.certificateTrusted).toBe(false);
    expect(bad.tls?.properties.certificateTrustError).toMatch(/Intermediate weak is signed with SHA1/);
    expect(bad.status).toBe("fail");
    const good = await scan(strong);
    expect(good.tls?.properties.certificateTrusted).toBe(true);
    expect(good.status).toBe("pass");
  }, 60_000);
});
