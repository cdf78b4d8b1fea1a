import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet, need, Pki, scanLocalTls, tempDir } from "./support.js";

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

  it("finds P-224 behind X25519 and fails the key-exchange policy; P-256 behind X25519 passes", async () => {
    const bad = await scanLocalTls(weak, ca);
    expect(bad.props.keyExchangeGroups).toEqual(expect.arrayContaining(["x25519", "secp224r1"]));
    expect(bad.props.ecdhMinBits).toBe(224);
    expect(bad.status("endpoint-tls-key-exchange-strong")).toBe("fail");
    const good = await scanLocalTls(strong, ca);
    expect(good.props.ecdhMinBits).toBeGreaterThanOrEqual(256);
    expect(good.status("endpoint-tls-key-exchange-strong")).toBe("pass");
  }, 60_000);
});
