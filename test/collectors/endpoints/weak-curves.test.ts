import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectEndpoints, parseTarget } from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import { endpointPolicies, Fleet, need, Pki, tempDir } from "./support.js";

// A server that picks its own curve (server preference) never shows a weaker one to a client offering every group:
// the scanner must offer the weaker groups alone to find it.
const ready = [need("openssl")].every(Boolean);

describe.skipIf(!ready)("ECDH groups a server accepts but never chooses", () => {
  const fleet = new Fleet();
  let weak = 0;
  let strong = 0;
  let ca = "";
  beforeAll(async () => {
    const dir = tempDir("cipherproof-curves-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    const pki = new Pki(dir);
    ca = pki.ca;
    const cert = pki.leaf();
    const tls12 = ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-serverpref"];
    weak = await fleet.sServer([...tls12, "-groups", "X25519:P-224"], cert);
    strong = await fleet.sServer([...tls12, "-groups", "X25519:P-256"], cert);
  }, 60_000);
  afterAll(() => fleet.stop());

  const scan = async (port: number) => {
    const t = parseTarget(`127.0.0.1:${port}`, { sni: "localhost", hostname: "localhost" });
    const { resources } = await collectEndpoints([t], { caFile: ca });
    const tls = resources.find((d) => d.type === "endpoint.tls");
    const finding = evaluate(resources, endpointPolicies(), { now: new Date() }).findings.find(
      (f) => f.policyId === "endpoint-tls-key-exchange-strong",
    );
    return { tls, status: finding?.status };
  };

  it("finds P-224 behind X25519 and fails the key-exchange policy; P-256 behind X25519 passes", async () => {
    const bad = await scan(weak);
    expect(bad.tls?.properties.keyExchangeGroups).toEqual(expect.arrayContaining(["x25519", "secp224r1"]));
    expect(bad.tls?.properties.ecdhMinBits).toBe(224);
    expect(bad.status).toBe("fail");
    const good = await scan(strong);
    expect(good.tls?.properties.ecdhMinBits).toBeGreaterThanOrEqual(256);
    expect(good.status).toBe("pass");
  }, 60_000);
});
