import { existsSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/scan.js";
import { deliverSiem, flushSpools } from "../../src/siem/deliver.js";
import { buildEvents, scanContext } from "../../src/siem/events.js";
import { eventSyslog } from "../../src/siem/sinks/sink.js";
import { frame } from "../../src/siem/sinks/syslog-tls.js";
import { listSpools } from "../../src/siem/spool.js";
import type { SiemFormat } from "../../src/siem/types.js";
import { makePki, type TestPki } from "./support/certs.js";
import { manyFindings, scanResultOf } from "./support/fixtures.js";
import { FAST_RETRY, recordingIO } from "./support/io.js";
import { findRsyslogd, freePort, hasGtls, type Rsyslog, startRsyslog } from "./support/rsyslog.js";

const bin = findRsyslogd();
const available = !!bin && hasGtls();
if (!available && process.env.CI) {
  throw new Error(
    "rsyslogd with the gtls driver is required for the SIEM syslog tests (Debian packages rsyslog, rsyslog-gnutls; scripts/test.sh installs them)",
  );
}

const HOST = "scanner-1";
const PID = 4242;

/** The exact messages rsyslog must have received for a scan result in a format, in order. */
function expectedMessages(result: ScanResult, format: SiemFormat): string[] {
  const ctx = scanContext(result, { host: HOST, pid: PID, events: "failures" });
  return buildEvents(result.findings, ctx, format).map((e) => eventSyslog(e, { host: HOST, pid: PID }, {}));
}

/**
 * Every expected message arrived exactly once, byte for byte. rsyslog may write messages of consecutive connections
 * slightly out of order (its queue workers run in parallel), so order is not compared.
 */
function expectSameMessages(lines: string[], expected: string[]): void {
  expect(lines).toHaveLength(expected.length);
  expect(new Set(lines).size).toBe(lines.length);
  expect([...lines].sort()).toEqual([...expected].sort());
}

/** A TCP proxy in front of the receiver that drops the first `refuse` connections (a receiver down at first). */
async function flakyProxy(
  targetPort: number,
  refuse: number,
): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (++n <= refuse) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe.skipIf(!available)("syslog over TLS (RFC 5425) into a real rsyslog with gtls", () => {
  let pki: TestPki;
  const started: Rsyslog[] = [];
  const start = async (o: { mtls: boolean; port?: number }) => {
    const r = await startRsyslog(bin!, pki, o);
    started.push(r);
    return r;
  };
  beforeAll(() => {
    pki = makePki();
  });
  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
  });

  it("frames messages with octet counting (byte length, space, message)", () => {
    expect(frame("<14>1 - - - - - - héllo").toString("utf8")).toBe(
      `${Buffer.byteLength("<14>1 - - - - - - héllo")} <14>1 - - - - - - héllo`,
    );
  });

  it("TLS: 10,000 findings while the receiver drops the first 3 connections — every message arrives once, byte for byte", async () => {
    const rs = await start({ mtls: false });
    const proxy = await flakyProxy(rs.port, 3);
    try {
      const result = scanResultOf(manyFindings(10_000));
      const io = recordingIO();
      const spoolDir = join(io.cwd, "spool");
      const [r] = await deliverSiem(
        result,
        [{ target: `cef@syslog+tls://127.0.0.1:${proxy.port}`, retry: FAST_RETRY, batchEvents: 2500 }],
        { spoolDir, shared: { caFile: pki.caFile }, host: HOST, pid: PID },
        io,
      );
      expect(r.errors).toEqual([]);
      expect(r).toMatchObject({ delivered: 10_002, spooled: 0 });
      const expected = expectedMessages(result, "cef");
      const lines = await rs.waitFor(expected.length);
      expectSameMessages(lines, expected);
      expect(proxy.connections()).toBe(3 + 5);
      expect(listSpools(spoolDir)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("mTLS: 10,000 RFC 5424 findings with a client certificate arrive exactly", async () => {
    const rs = await start({ mtls: true });
    const result = scanResultOf(manyFindings(10_000));
    const io = recordingIO();
    const [r] = await deliverSiem(
      result,
      [{ target: `rfc5424@syslog+tls://localhost:${rs.port}`, retry: FAST_RETRY }],
      {
        spoolDir: join(io.cwd, "spool"),
        shared: { caFile: pki.caFile, clientCert: pki.clientCert, clientKey: pki.clientKey },
        host: HOST,
        pid: PID,
      },
      io,
    );
    expect(r.errors).toEqual([]);
    expect(r.delivered).toBe(10_002);
    const expected = expectedMessages(result, "rfc5424");
    expectSameMessages(await rs.waitFor(expected.length), expected);
  });

  it("mTLS: without a client certificate rsyslog refuses the session and every event is spooled", async () => {
    const rs = await start({ mtls: true });
    const io = recordingIO();
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(5)),
      [
        {
          target: `ocsf@syslog+tls://127.0.0.1:${rs.port}`,
          retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
        },
      ],
      { spoolDir, shared: { caFile: pki.caFile }, host: HOST, pid: PID },
      io,
    );
    expect(r.delivered).toBe(0);
    expect(r.spooled).toBe(7);
    await new Promise((res) => setTimeout(res, 300));
    expect(rs.lines()).toEqual([]);
  });

  it("server verification is on: a receiver whose CA is not trusted gets nothing", async () => {
    const rs = await start({ mtls: false });
    const io = recordingIO();
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(2)),
      [{ target: `ecs@syslog+tls://127.0.0.1:${rs.port}`, retry: FAST_RETRY }],
      { spoolDir: join(io.cwd, "spool"), shared: { caFile: pki.otherCaFile }, host: HOST, pid: PID },
      io,
    );
    expect(r.spooled).toBe(4);
    expect(r.errors[0]).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|certificate/i);
    expect(rs.lines()).toEqual([]);
  });

  it("whole-run outage: nothing listens, all 10,000 are spooled; once rsyslog is up, flush delivers every one exactly once", async () => {
    const port = await freePort();
    const result = scanResultOf(manyFindings(10_000));
    const io = recordingIO();
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(
      result,
      [
        {
          target: `ocsf@syslog+tls://127.0.0.1:${port}`,
          retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 },
        },
      ],
      { spoolDir, shared: { caFile: pki.caFile }, host: HOST, pid: PID },
      io,
    );
    expect(r).toMatchObject({ delivered: 0, spooled: 10_002 });
    expect(r.errors[0]).toMatch(/ECONNREFUSED/);
    const rs = await start({ mtls: false, port });
    const [spool] = listSpools(spoolDir);
    const reports = await flushSpools({ spoolDir, host: HOST, pid: PID }, recordingIO());
    expect(reports[0]).toMatchObject({ delivered: 10_002, spooled: 0 });
    const expected = expectedMessages(result, "ocsf");
    const lines = await rs.waitFor(expected.length);
    expectSameMessages(lines, expected);
    expect(existsSync(spool.events)).toBe(false);
    // Every OCSF event is intact JSON after the trip through syslog.
    for (const line of lines.slice(0, 50))
      expect(() => JSON.parse(line.slice(line.indexOf("] ") + 2))).not.toThrow();
  });
});
