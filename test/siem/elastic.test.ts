import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverSiem, flushSpools } from "../../src/siem/deliver.js";
import { elasticSink } from "../../src/siem/sinks/elastic.js";
import { listSpools, readSpool } from "../../src/siem/spool.js";
import { tlsMaterial } from "../../src/siem/tls.js";
import { makePki, type TestPki } from "./support/certs.js";
import { type ElasticServer, startElastic } from "./support/elastic-server.js";
import { manyFindings, scanResultOf } from "./support/fixtures.js";
import { FAST_RETRY, recordingIO } from "./support/io.js";

const KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
let pki: TestPki;
const servers: ElasticServer[] = [];

beforeAll(() => {
  pki = makePki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function es(b: Parameters<typeof startElastic>[1]): Promise<ElasticServer> {
  const s = await startElastic(pki, b);
  servers.push(s);
  return s;
}

describe("Elastic _bulk sink", () => {
  it("10,000 findings while the cluster is unavailable for 2 requests and rejects 700 items once with 429: none lost, none stored twice", async () => {
    const s = await es({ apiKey: KEY, unavailableFirst: 2, rejectItemsFirst: 700 });
    const result = scanResultOf(manyFindings(10_000));
    const io = recordingIO({ CIPHERPROOF_ELASTIC_API_KEY: KEY });
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(
      result,
      [{ target: `ecs@elastic:${s.url}/cipherproof-findings`, retry: FAST_RETRY, batchEvents: 1000 }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ delivered: 10_002, spooled: 0 });
    expect(s.docs.size).toBe(10_002);
    // Each document was created once: retried items were only the rejected ones.
    expect([...s.attempts.values()].every((n) => n === 1)).toBe(true);
    expect(s.conflicts).toBe(0);
    const expected = [
      `scan-started:${result.scanId}`,
      `scan-completed:${result.scanId}`,
      ...result.findings.map((f) => `${f.id}:${result.scanId}`),
    ].map((id) => `cipherproof-findings/${id}`);
    expect(new Set(s.docs.keys())).toEqual(new Set(expected));
    const doc = s.docs.get(`cipherproof-findings/${result.findings[0].id}:${result.scanId}`) as Record<
      string,
      any
    >;
    expect(doc.event).toMatchObject({ kind: "state", category: ["configuration"], outcome: "failure" });
    expect(listSpools(spoolDir)).toEqual([]);
  });

  it("whole-run outage: all spooled; flush delivers all; a replay of already-stored events is not stored twice", async () => {
    const s = await es({ apiKey: KEY, down: true });
    const result = scanResultOf(manyFindings(10_000));
    const io = recordingIO({ CIPHERPROOF_ELASTIC_API_KEY: KEY });
    const spoolDir = join(io.cwd, "spool");
    const target = {
      target: `ocsf@elastic:${s.url}/ocsf`,
      retry: { attempts: 2, baseDelayMs: 2, maxDelayMs: 5 },
    };
    const [r] = await deliverSiem(result, [target], { spoolDir, shared: { caFile: pki.caFile } }, io);
    expect(r).toMatchObject({ delivered: 0, spooled: 10_002 });
    expect(r.errors[0]).toMatch(/HTTP 503: cluster_block_exception/);
    const [spool] = listSpools(spoolDir);
    const spooled = readSpool(spool.events).events;
    expect(spooled).toHaveLength(10_002);

    // Half of them reach the cluster by some other path first (e.g. an interrupted earlier flush).
    s.behaviour.down = false;
    const direct = elasticSink(s.url, "ocsf", {}, tlsMaterial({ caFile: pki.caFile }), {
      env: { CIPHERPROOF_ELASTIC_API_KEY: KEY },
      stdout: () => {},
      host: "h",
      pid: 1,
    });
    await direct.deliver(spooled.slice(0, 5000));
    direct.close();
    expect(s.docs.size).toBe(5000);

    const reports = await flushSpools({ spoolDir, shared: { caFile: pki.caFile } }, io);
    expect(reports[0]).toMatchObject({ delivered: 10_002, spooled: 0, replayed: 10_002 });
    expect(s.docs.size).toBe(10_002);
    expect(s.conflicts).toBe(5000);
    expect(existsSync(spool.events)).toBe(false);
  });

  it("a document the cluster rejects (400 mapper_parsing_exception) stays in the spool; the others are stored", async () => {
    const s = await es({ apiKey: KEY, badDocument: (id) => id.startsWith("scan-completed") });
    const io = recordingIO({ CIPHERPROOF_ELASTIC_API_KEY: KEY });
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(10)),
      [{ target: `ecs@elastic:${s.url}/x`, retry: FAST_RETRY }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    expect(r).toMatchObject({ delivered: 11, spooled: 1 });
    expect(r.errors[0]).toMatch(
      /event scan-completed:[^ ]+ rejected: 400 mapper_parsing_exception: failed to parse field/,
    );
    expect(readSpool(listSpools(spoolDir)[0].events).events.map((e) => e.kind)).toEqual(["scan_completed"]);
  });

  it("a wrong API key (401 security_exception) stops delivery, is explained, and the key is never printed", async () => {
    const s = await es({ apiKey: KEY });
    const io = recordingIO({ ES_KEY: "not-the-right-key-123" });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(3)),
      [{ target: `ecs@elastic:${s.url}/x`, apiKeyEnv: "ES_KEY", retry: FAST_RETRY }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.spooled).toBe(5);
    expect(r.errors[0]).toMatch(/HTTP 401: security_exception: unable to authenticate/);
    expect(JSON.stringify(r)).not.toContain("not-the-right-key-123");
  });
});
