import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectEndpoints, parseTarget } from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import {
  endpointPolicies,
  Fleet,
  need,
  Pki,
  postgresBin,
  sslscan,
  startPostgres,
  tempDir,
} from "./support.js";

const bin = postgresBin();
const ready = [need("openssl"), need("runuser"), need("sslscan"), bin].every(Boolean);

describe.skipIf(!ready)("PostgreSQL endpoints (real server started as the postgres user)", () => {
  const fleet = new Fleet();
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let pki: Pki;

  beforeAll(async () => {
    const dir = tempDir("cipherproof-pgpki-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    pg = await startPostgres(fleet, bin!, pki.leaf());
  }, 120_000);
  afterAll(() => fleet.stop());

  const scan = async () => {
    const t = parseTarget(`postgres://127.0.0.1:${pg.port}/postgres?user=app`, {
      sni: "localhost",
      hostname: "localhost",
    });
    const r = await collectEndpoints([t], { caFile: pki.ca, readTimeoutMs: 5000 });
    const get = (type: string) => r.resources.find((d) => d.type === type) as ResourceDocument;
    return { pgDoc: get("endpoint.postgres"), tlsDoc: get("endpoint.tls") };
  };
  const statusOf = (doc: ResourceDocument, policy: string) =>
    evaluate([doc], endpointPolicies(), { now: new Date() }).findings.find((f) => f.policyId === policy)
      ?.status;

  it("hostssl-only: plaintext StartupMessage is refused, TLS is checked on the upgraded connection", async () => {
    await pg.setHba(["hostssl all all 127.0.0.1/32 scram-sha-256"]);
    const { pgDoc, tlsDoc } = await scan();
    expect(pgDoc.properties).toMatchObject({
      sslSupported: true,
      plaintextRefused: true,
      user: "app",
      database: "postgres",
    });
    expect(pgDoc.properties.plaintextResponse).toMatch(/28000.*no pg_hba\.conf entry.*no encryption/);
    expect(statusOf(pgDoc, "endpoint-postgres-plaintext-refused")).toBe("pass");
    expect(tlsDoc.properties).toMatchObject({
      service: "postgres",
      protocols: ["TLSv1.2", "TLSv1.3"],
      minProtocolVersion: 1.2,
      certificateTrusted: true,
      hostnameMatches: true,
    });
    expect(statusOf(tlsDoc, "endpoint-tls-protocol-min-tls12")).toBe("pass");
  });

  it("protocols and suites after SSLRequest equal sslscan --starttls-psql", async () => {
    const { tlsDoc } = await scan();
    const theirs = await sslscan(`127.0.0.1:${pg.port}`, ["--starttls-psql"]);
    expect([...(tlsDoc.properties.protocols as string[])].sort()).toEqual(theirs.protocols);
    expect(
      (tlsDoc.properties.cipherSuites as Array<{ protocol: string; code: string }>)
        .map((s) => `${s.protocol} ${s.code}`)
        .sort(),
    ).toEqual(theirs.suites);
  });

  it("host rule (plaintext allowed): the server asks for a password in clear, so the policy fails", async () => {
    await pg.setHba(["host all all 127.0.0.1/32 scram-sha-256"]);
    const { pgDoc } = await scan();
    expect(pgDoc.properties.plaintextRefused).toBe(false);
    expect(pgDoc.properties.plaintextResponse).toMatch(/scram|SASL/);
    expect(statusOf(pgDoc, "endpoint-postgres-plaintext-refused")).toBe("fail");
  });

  it("trust over plaintext is accepted plaintext too (AuthenticationOk)", async () => {
    await pg.setHba(["host all all 127.0.0.1/32 trust"]);
    const { pgDoc } = await scan();
    expect(pgDoc.properties).toMatchObject({ plaintextRefused: false });
    expect(pgDoc.properties.plaintextResponse).toMatch(/AuthenticationOk/);
  });
});
