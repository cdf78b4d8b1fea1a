import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { deliverSiem } from "../../src/siem/deliver.js";
import { explainHec } from "../../src/siem/sinks/hec.js";
import { listSpools } from "../../src/siem/spool.js";
import { makePki, type TestPki } from "./support/certs.js";
import { manyFindings, scanResultOf } from "./support/fixtures.js";
import { type HecServer, startHec } from "./support/hec-server.js";
import { FAST_RETRY, recordingIO } from "./support/io.js";

const TOKEN = "11111111-2222-3333-4444-555555555555";
let pki: TestPki;
const servers: HecServer[] = [];

beforeAll(() => {
  pki = makePki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function hec(b: Parameters<typeof startHec>[1]): Promise<HecServer> {
  const s = await startHec(pki, b);
  servers.push(s);
  return s;
}

function ids(s: HecServer): string[] {
  return s.received.map((r) => ((r.envelope.event as Record<string, any>).metadata as { uid: string }).uid);
}

describe("Splunk HEC sink", () => {
  it("10,000 findings through a HEC that is busy (503) for the first 3 requests: none lost, none duplicated", async () => {
    const s = await hec({ token: TOKEN, busyFirst: 3 });
    const result = scanResultOf(manyFindings(10_000, 50));
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(
      result,
      [{ target: `ocsf@hec:${s.url}`, retry: FAST_RETRY, batchEvents: 400, batchBytes: 500_000 }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ delivered: 10_002, spooled: 0 });
    const got = ids(s);
    expect(got).toHaveLength(10_002);
    expect(new Set(got).size).toBe(10_002);
    const expected = new Set([
      `scan-started:${result.scanId}`,
      `scan-completed:${result.scanId}`,
      ...result.findings.filter((f) => f.status === "fail").map((f) => `${f.id}:${result.scanId}`),
    ]);
    expect(new Set(got)).toEqual(expected);
    // Batches honour the count and byte limits; every envelope is complete.
    const perRequest = new Map<number, number>();
    for (const x of s.received) perRequest.set(x.request, (perRequest.get(x.request) ?? 0) + 1);
    expect(Math.max(...perRequest.values())).toBeLessThanOrEqual(400);
    for (const x of s.received)
      expect(Object.keys(x.envelope).sort()).toEqual(["event", "host", "source", "sourcetype", "time"]);
    expect(s.authHeaders.every((h) => h === `Splunk ${TOKEN}`)).toBe(true);
    expect(listSpools(spoolDir)).toEqual([]);
  });

  it("whole-run outage: every event is spooled, then `cipherproof siem flush` delivers all of them exactly once", async () => {
    const s = await hec({ token: TOKEN, down: true });
    const result = scanResultOf(manyFindings(10_000));
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const spoolDir = join(io.cwd, "out", ".spool");
    const [r] = await deliverSiem(
      result,
      [{ target: `ocsf@hec:${s.url}`, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 } }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.delivered).toBe(0);
    expect(r.spooled).toBe(10_002);
    expect(r.errors[0]).toMatch(/HTTP 503, HEC code 9 \(Server is busy\).*after 3 attempts/);
    expect(s.received).toHaveLength(0);
    const [spool] = listSpools(spoolDir);
    expect(readFileSync(spool.events, "utf8").trim().split("\n")).toHaveLength(10_002);
    // The spool records where the events go, never the token.
    expect(readFileSync(spool.events, "utf8").includes(TOKEN)).toBe(false);
    expect(JSON.stringify(spool.meta).includes(TOKEN)).toBe(false);

    s.behaviour.down = false;
    const flushIo = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN }, io.cwd);
    const code = await main(["siem", "flush", "--out", "out", "--siem-ca-file", pki.caFile], {
      ...flushIo,
      isTTY: false,
      env: flushIo.env as NodeJS.ProcessEnv,
    });
    expect(flushIo.err.join("")).toMatch(/10002 events delivered \(10002 replayed from the spool\)/);
    expect(code).toBe(0);
    const got = ids(s);
    expect(got).toHaveLength(10_002);
    expect(new Set(got).size).toBe(10_002);
    expect(existsSync(spool.events)).toBe(false);
    // A second flush has nothing to do.
    const again = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN }, io.cwd);
    expect(
      await main(["siem", "flush", "--out", "out"], {
        ...again,
        isTTY: false,
        env: again.env as NodeJS.ProcessEnv,
      }),
    ).toBe(0);
    expect(again.err.join("")).toMatch(/nothing spooled/);
  });

  it("the next run replays the spool first", async () => {
    const s = await hec({ token: TOKEN, down: true });
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const spoolDir = join(io.cwd, "spool");
    const first = scanResultOf(manyFindings(20));
    const target = { target: `cef@hec:${s.url}`, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } };
    await deliverSiem(first, [target], { spoolDir, shared: { caFile: pki.caFile } }, io);
    s.behaviour.down = false;
    const second = scanResultOf(manyFindings(5));
    const [r] = await deliverSiem(second, [target], { spoolDir, shared: { caFile: pki.caFile } }, io);
    expect(r).toMatchObject({ delivered: 22 + 7, replayed: 22, spooled: 0 });
    const events = s.received.map((x) => x.envelope.event as string);
    expect(events[0]).toContain(`externalId=scan-started:${first.scanId}`);
    expect(events[22]).toContain(`externalId=scan-started:${second.scanId}`);
    expect(s.received[0].envelope.sourcetype).toBe("cipherproof:cef");
  });

  it("stops on a 4xx, explains the HEC code, spools everything, and never prints the token", async () => {
    const s = await hec({ token: TOKEN });
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: "wrong-token-value-xyz" });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(30)),
      [{ target: `ocsf@hec:${s.url}`, retry: FAST_RETRY, batchEvents: 10 }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.spooled).toBe(32);
    expect(s.requests).toBe(0); // auth fails before counting; one request, not retried
    expect(s.authHeaders).toHaveLength(1);
    expect(r.errors.join("\n")).toMatch(
      /HTTP 403, HEC code 4 \(Invalid token\) — the token in the environment variable is not accepted/,
    );
    expect(r.errors.join("\n")).not.toContain("wrong-token-value-xyz");
  });

  it("explains an index the token may not write to (400, code 7)", async () => {
    const s = await hec({ token: TOKEN, allowedIndexes: ["main"] });
    const io = recordingIO({ SPLUNK_TOKEN: TOKEN });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(3)),
      [{ target: `ecs@hec:${s.url}`, tokenEnv: "SPLUNK_TOKEN", index: "secret", retry: FAST_RETRY }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.spooled).toBe(5);
    expect(r.errors[0]).toMatch(/HEC code 7 \(Incorrect index\)/);
  });

  it("a missing token is reported by variable name and everything is spooled", async () => {
    const s = await hec({ token: TOKEN });
    const io = recordingIO({});
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(2)),
      [`ocsf@hec:${s.url}`],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.spooled).toBe(4);
    expect(r.errors).toEqual(["environment variable CIPHERPROOF_HEC_TOKEN (the HEC token) is not set"]);
  });

  it("indexer acknowledgement: sends a channel, polls /services/collector/ack until every batch is acknowledged", async () => {
    const s = await hec({ token: TOKEN, ack: true, ackAfterPolls: 2 });
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(1000)),
      [{ target: `ocsf@hec:${s.url}`, ack: true, ackPollMs: 5, batchEvents: 100 }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ delivered: 1002, spooled: 0 });
    expect(new Set(ids(s)).size).toBe(1002);
  });

  it("a token with acknowledgement on but no channel sent gets code 10 explained", async () => {
    const s = await hec({ token: TOKEN, ack: true });
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(1)),
      [`ocsf@hec:${s.url}`],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.caFile } },
      io,
    );
    expect(r.errors[0]).toMatch(
      /code 10 \(Data channel is missing\) — indexer acknowledgement is on for this token: set `ack: true`/,
    );
  });

  it("verifies the server certificate: without the private CA nothing is sent and everything is spooled", async () => {
    const s = await hec({ token: TOKEN });
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(2)),
      [{ target: `ocsf@hec:${s.url}`, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.otherCaFile } },
      io,
    );
    expect(r.spooled).toBe(4);
    expect(r.errors[0]).toMatch(/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i);
    expect(s.authHeaders).toHaveLength(0);
  });

  it("explainHec reads the {text, code} body", () => {
    expect(explainHec(400, '{"text":"Invalid data format","code":6,"invalid-event-number":0}')).toBe(
      "HTTP 400, HEC code 6 (Invalid data format) — the receiver does not accept this event format",
    );
    expect(explainHec(502, "<html>bad gateway</html>")).toBe("HTTP 502: <html>bad gateway</html>");
  });
});
