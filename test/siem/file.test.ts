import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deliverSiem, flushSpools } from "../../src/siem/deliver.js";
import { listSpools } from "../../src/siem/spool.js";
import { manyFindings, scanResultOf } from "./support/fixtures.js";
import { recordingIO } from "./support/io.js";

describe("file and stdout sinks", () => {
  it("10,000 findings to a file: one NDJSON line per event, none lost or repeated", async () => {
    const io = recordingIO();
    const result = scanResultOf(manyFindings(10_000, 100));
    const [r] = await deliverSiem(
      result,
      ["ocsf@file:events/ocsf.ndjson"],
      { spoolDir: join(io.cwd, "spool") },
      io,
    );
    expect(r).toMatchObject({ delivered: 10_002, spooled: 0, errors: [] });
    const lines = readFileSync(join(io.cwd, "events", "ocsf.ndjson"), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    const ids = lines.map((l) => JSON.parse(l).metadata.uid);
    expect(new Set(ids).size).toBe(10_002);
  });

  it("a file that cannot be written: everything spooled, then flush writes all of it once the path works", async () => {
    const io = recordingIO();
    const result = scanResultOf(manyFindings(10_000));
    writeFileSync(join(io.cwd, "blocked"), "a file where a folder should be");
    const spoolDir = join(io.cwd, "spool");
    const [r] = await deliverSiem(result, ["cef@file:blocked/cef.log"], { spoolDir }, io);
    expect(r).toMatchObject({ delivered: 0, spooled: 10_002 });
    expect(r.errors[0]).toMatch(/cannot write .*blocked\/cef.log: (EEXIST|ENOTDIR)/);
    rmSync(join(io.cwd, "blocked"));
    mkdirSync(join(io.cwd, "blocked"));
    const [f] = await flushSpools({ spoolDir }, recordingIO({}, "/"));
    expect(f).toMatchObject({ delivered: 10_002, spooled: 0 });
    const lines = readFileSync(join(io.cwd, "blocked", "cef.log"), "utf8")
      .trim()
      .split("\n");
    expect(lines).toHaveLength(10_002);
    expect(new Set(lines).size).toBe(10_002);
    expect(listSpools(spoolDir)).toEqual([]);
  });

  it("stdout writes one line per event", async () => {
    const io = recordingIO();
    await deliverSiem(scanResultOf(manyFindings(3)), ["ecs@stdout"], { spoolDir: join(io.cwd, "spool") }, io);
    const lines = io.out
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event.kind)).toEqual(["event", "state", "state", "state", "event"]);
  });

  it("a target named twice gets the events once", async () => {
    const io = recordingIO();
    const reports = await deliverSiem(
      scanResultOf(manyFindings(4)),
      ["ocsf@file:x.ndjson", `ocsf@file:${join(io.cwd, "x.ndjson")}`],
      { spoolDir: join(io.cwd, "spool") },
      io,
    );
    expect(reports).toHaveLength(1);
    expect(readFileSync(join(io.cwd, "x.ndjson"), "utf8").trim().split("\n")).toHaveLength(6);
  });

  it("the spool is written before delivery; a spool that cannot be written is reported and delivery still happens", async () => {
    const io = recordingIO();
    writeFileSync(join(io.cwd, "not-a-folder"), "");
    const [r] = await deliverSiem(
      scanResultOf(manyFindings(4)),
      ["ecs@file:e.ndjson"],
      { spoolDir: join(io.cwd, "not-a-folder", "spool") },
      io,
    );
    expect(r).toMatchObject({ delivered: 6, spooled: 0 });
    expect(r.errors[0]).toMatch(/cannot write the spool .*: (ENOTDIR|EEXIST)/);
    expect(readFileSync(join(io.cwd, "e.ndjson"), "utf8").trim().split("\n")).toHaveLength(6);
  });

  it("rfc5424 targets take their facility and enterprise number from the target options", async () => {
    const io = recordingIO();
    await deliverSiem(
      scanResultOf(manyFindings(1)),
      [{ target: "rfc5424@file:s.log", facility: 4, enterpriseId: 55555 }],
      { spoolDir: join(io.cwd, "spool") },
      io,
    );
    const lines = readFileSync(join(io.cwd, "s.log"), "utf8").trim().split("\n");
    expect(lines.map((l) => l.slice(0, l.indexOf(">") + 1))).toEqual(["<38>", "<38>", "<36>"]);
    expect(lines.every((l) => l.includes("[cipherproof@55555 "))).toBe(true);
  });
});
