// The spool lock: a scan's append → deliver → rewrite and a `siem flush` of the same spool never interleave, so
// concurrent deliveries lose no event; a lock left by a dead process is taken over; a held lock is waited for.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverSiem, flushSpools } from "../../src/siem/deliver.js";
import { parseTarget } from "../../src/siem/spec.js";
import {
  appendSpool,
  parkEvents,
  parkedFiles,
  readSpool,
  rewriteSpool,
  spoolLockPath,
  spoolPaths,
  withSpoolLock,
} from "../../src/siem/spool.js";
import type { SiemEvent } from "../../src/siem/types.js";
import { makePki, type TestPki } from "./support/certs.js";
import { manyFindings, scanResultOf } from "./support/fixtures.js";
import { type HecServer, startHec } from "./support/hec-server.js";
import { recordingIO } from "./support/io.js";

const TOKEN = "11111111-2222-3333-4444-555555555555";
let pki: TestPki;
let down: HecServer;

beforeAll(async () => {
  pki = makePki();
  down = await startHec(pki, { token: TOKEN, down: true });
});
afterAll(async () => {
  await down?.close();
});

const SLOW = { attempts: 6, baseDelayMs: 60, maxDelayMs: 120 };
const FAST = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
const expectedIds = (r: ReturnType<typeof scanResultOf>) => [
  `scan-started:${r.scanId}`,
  ...r.findings.filter((f) => f.status === "fail").map((f) => `${f.id}:${r.scanId}`),
  `scan-completed:${r.scanId}`,
];

function deadPid(): number {
  const p = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(p.stdout);
}

describe("spool lock", () => {
  it("two concurrent deliveries to one spool (a slow one, then a fast one) lose nothing", async () => {
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const spoolDir = join(io.cwd, "spool");
    const a = scanResultOf(manyFindings(40));
    const b = scanResultOf(manyFindings(25));
    // Without the lock, B appends and rewrites while A is still retrying, and A's rewrite then drops B's events.
    const slow = deliverSiem(
      a,
      [{ target: `ocsf@hec:${down.url}`, retry: SLOW }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    await new Promise((r) => setTimeout(r, 30));
    const fast = deliverSiem(
      b,
      [{ target: `ocsf@hec:${down.url}`, retry: FAST }],
      { spoolDir, shared: { caFile: pki.caFile }, lock: { pollMs: 10 } },
      io,
    );
    const [[ra], [rb]] = await Promise.all([slow, fast]);
    expect(ra.delivered + rb.delivered).toBe(0);
    const t = parseTarget(`ocsf@hec:${down.url}`, io.cwd);
    const spooled = readSpool(spoolPaths(spoolDir, t).events).events.map((e) => e.id);
    expect(new Set(spooled)).toEqual(new Set([...expectedIds(a), ...expectedIds(b)]));
    expect(spooled).toHaveLength(expectedIds(a).length + expectedIds(b).length);
    expect(rb.spooled).toBe(spooled.length); // B went second and saw A's events too
    expect(existsSync(spoolLockPath(spoolDir, t))).toBe(false);
  });

  it("a flush and a scan on the same spool at the same time lose nothing", async () => {
    const io = recordingIO({ CIPHERPROOF_HEC_TOKEN: TOKEN });
    const spoolDir = join(io.cwd, "spool");
    const first = scanResultOf(manyFindings(30));
    await deliverSiem(
      first,
      [{ target: `ocsf@hec:${down.url}`, retry: FAST }],
      { spoolDir, shared: { caFile: pki.caFile } },
      io,
    );
    const second = scanResultOf(manyFindings(20));
    const flush = flushSpools({ spoolDir, shared: { caFile: pki.caFile, retry: SLOW } }, io);
    await new Promise((r) => setTimeout(r, 30));
    const scan = deliverSiem(
      second,
      [{ target: `ocsf@hec:${down.url}`, retry: FAST }],
      { spoolDir, shared: { caFile: pki.caFile }, lock: { pollMs: 10 } },
      io,
    );
    await Promise.all([flush, scan]);
    const t = parseTarget(`ocsf@hec:${down.url}`, io.cwd);
    const spooled = readSpool(spoolPaths(spoolDir, t).events).events.map((e) => e.id);
    expect(new Set(spooled)).toEqual(new Set([...expectedIds(first), ...expectedIds(second)]));
    expect(spooled).toHaveLength(new Set(spooled).size);
  });

  it("withSpoolLock runs one holder at a time", async () => {
    const dir = join(recordingIO().cwd, "spool");
    const t = parseTarget("ocsf@file:/tmp/x.ndjson", "/");
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 40));
      log.push(`${name} out`);
    };
    await Promise.all([
      withSpoolLock(dir, t, job("a"), { pollMs: 5 }),
      withSpoolLock(dir, t, job("b"), { pollMs: 5 }),
      withSpoolLock(dir, t, job("c"), { pollMs: 5 }),
    ]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i].replace(" in", " out"));
    expect(existsSync(spoolLockPath(dir, t))).toBe(false);
  });

  it("takes over a lock whose process is gone, and one that never got an owner once it is old", async () => {
    const dir = join(recordingIO().cwd, "spool");
    mkdirSync(dir, { recursive: true });
    const t = parseTarget("ocsf@file:/tmp/x.ndjson", "/");
    const lock = spoolLockPath(dir, t);
    writeFileSync(
      lock,
      JSON.stringify({ pid: deadPid(), host: hostname(), time: "2026-01-01T00:00:00Z", token: "old" }),
    );
    expect(await withSpoolLock(dir, t, async () => "ran", { timeoutMs: 2000, pollMs: 5 })).toBe("ran");
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, "");
    expect(await withSpoolLock(dir, t, async () => "ran", { timeoutMs: 2000, pollMs: 5, orphanMs: 0 })).toBe(
      "ran",
    );
  });

  it("a lock held by a live process is waited for, then reported, not broken; new events are parked, not lost", async () => {
    const io = recordingIO();
    const dir = join(io.cwd, "spool");
    mkdirSync(dir, { recursive: true });
    const target = `ocsf@file:${join(io.cwd, "events.ndjson")}`;
    const lock = spoolLockPath(dir, parseTarget(target, io.cwd));
    const held = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      time: "2026-11-22T10:00:00Z",
      token: "other",
    });
    writeFileSync(lock, held);
    const scan = scanResultOf(manyFindings(3));
    const [r] = await deliverSiem(
      scan,
      [target],
      { spoolDir: dir, lock: { timeoutMs: 150, pollMs: 10 } },
      io,
    );
    expect(r.delivered).toBe(0);
    expect(r.errors.join("\n")).toMatch(
      /the spool is locked by process \d+ .*; the new events were parked and go out with the next delivery/,
    );
    expect(existsSync(join(io.cwd, "events.ndjson"))).toBe(false);
    expect(existsSync(lock)).toBe(true);
    // The five events wait in a parked file beside the spool, and the report points at it.
    const t = parseTarget(target, io.cwd);
    const parked = parkedFiles(dir, t);
    expect(parked).toHaveLength(1);
    expect(r.spooled).toBe(5);
    expect(r.spoolFile).toBe(parked[0]);
    expect(readSpool(parked[0]).events.map((e) => e.id)).toEqual(expectedIds(scan));

    // A flush while the lock is still held sends nothing, says why, and counts the events still waiting (so
    // `siem flush` exits 1, not 0).
    const busy = await flushSpools({ spoolDir: dir, lock: { timeoutMs: 50, pollMs: 10 } }, io);
    expect(busy.map((b) => b.errors.join(" "))).toEqual([
      expect.stringMatching(/^nothing was sent: the spool is locked/),
    ]);
    expect(busy[0]).toMatchObject({ delivered: 0, spooled: 5 });

    // Once the other delivery is gone, the next flush merges the parked events and delivers them.
    rmSync(lock);
    const [flushed] = await flushSpools({ spoolDir: dir }, io);
    expect(flushed).toMatchObject({ delivered: 5, replayed: 5, spooled: 0, errors: [] });
    expect(parkedFiles(dir, t)).toEqual([]);
    const sent = readFileSync(join(io.cwd, "events.ndjson"), "utf8").trim().split("\n");
    expect(sent.map((l) => JSON.parse(l).metadata.uid).sort()).toEqual(expectedIds(scan).sort());
    expect(readdirSync(dir)).toEqual([]); // spool, meta and parked file all gone
  });

  it("parked events keep their target findable by `siem flush` whichever of holder and parker goes first", async () => {
    for (const order of ["holder first", "parker first"]) {
      const io = recordingIO();
      const dir = join(io.cwd, "spool");
      const t = parseTarget(`ocsf@file:${join(io.cwd, "events.ndjson")}`, io.cwd);
      const event: SiemEvent = {
        id: "spooled-1",
        kind: "scan_started",
        format: "ocsf",
        time: Date.UTC(2026, 10, 22),
        severity: "info",
        body: { message: "spooled" },
      };
      // The holder empties the spool (rewriteSpool with nothing left) while a parker parks one event.
      appendSpool(dir, t, [event]);
      if (order === "holder first") {
        rewriteSpool(dir, t, []);
        parkEvents(dir, t, [{ ...event, id: "parked-1" }]);
      } else {
        parkEvents(dir, t, [{ ...event, id: "parked-1" }]);
        rewriteSpool(dir, t, []);
      }
      expect(existsSync(spoolPaths(dir, t).meta)).toBe(true);
      const [flushed] = await flushSpools({ spoolDir: dir }, io);
      expect(flushed).toMatchObject({ delivered: 1, spooled: 0, errors: [] });
      expect(readFileSync(join(io.cwd, "events.ndjson"), "utf8")).toContain('"message":"spooled"');
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it("clears temp files of parkers that died before renaming, once they are old", async () => {
    const io = recordingIO();
    const dir = join(io.cwd, "spool");
    const t = parseTarget(`ocsf@file:${join(io.cwd, "events.ndjson")}`, io.cwd);
    mkdirSync(dir, { recursive: true });
    const base = spoolPaths(dir, t).events.replace(/\.ndjson$/, "");
    const old = `${base}.parked-20260101T000000000Z-dead0001.ndjson.tmp`;
    const fresh = `${base}.parked-20260101T000000000Z-live0001.ndjson.tmp`;
    writeFileSync(old, "");
    writeFileSync(fresh, "");
    utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await deliverSiem(
      scanResultOf(manyFindings(1)),
      [`ocsf@file:${join(io.cwd, "events.ndjson")}`],
      { spoolDir: dir },
      io,
    );
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true); // may still be being written
  });
});
