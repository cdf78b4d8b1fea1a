import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config/parse.js";
import { CipherproofError } from "../../src/core/errors.js";
import { backoffDelay, redact } from "../../src/siem/retry.js";
import { batches } from "../../src/siem/sinks/batch.js";
import { parseTarget, parseTargets, targetKey } from "../../src/siem/spec.js";
import { appendSpool, listSpools, readSpool, rewriteSpool, spoolPaths } from "../../src/siem/spool.js";
import type { SiemEvent } from "../../src/siem/types.js";

describe("FORMAT@SINK specs", () => {
  it.each([
    ["ocsf@file:out.ndjson", { kind: "file", path: "/work/dir/out.ndjson" }],
    ["ecs@file:/abs/x.ndjson", { kind: "file", path: "/abs/x.ndjson" }],
    ["cef@stdout", { kind: "stdout" }],
    ["ocsf@hec:https://host:8088", { kind: "hec", url: "https://host:8088" }],
    ["ocsf@hec:https://host:8088/", { kind: "hec", url: "https://host:8088" }],
    ["ecs@elastic:https://host:9200/index", { kind: "elastic", url: "https://host:9200", index: "index" }],
    [
      "ecs@elastic:https://host/proxy/es/cipherproof-2026",
      { kind: "elastic", url: "https://host/proxy/es", index: "cipherproof-2026" },
    ],
    ["cef@syslog+tls://host:6514", { kind: "syslog-tls", host: "host", port: 6514 }],
    ["rfc5424@syslog+tls://siem.example.com", { kind: "syslog-tls", host: "siem.example.com", port: 6514 }],
    ["rfc5424@syslog+tls://[::1]:7000", { kind: "syslog-tls", host: "::1", port: 7000 }],
  ])("%s", (spec, sink) => {
    expect(parseTarget(spec, "/work/dir").sink).toEqual(sink);
  });

  it.each([
    ["ocsf", /expected FORMAT@SINK/],
    ["@file:x", /expected FORMAT@SINK/],
    ["json@file:x", /unknown format "json"/],
    ["ocsf@file:", /file: needs a path/],
    ["ocsf@hec:http://h:8088", /https/],
    ["ocsf@hec:https://tok:en@h:8088", /credentials/],
    ["ocsf@hec:https://h:8088?token=x", /query/],
    ["ecs@elastic:https://h:9200", /needs an index/],
    ["ecs@elastic:https://h:9200/Upper", /not a valid Elasticsearch index name/],
    ["cef@syslog+tls://h:99999", /out of range/],
    ["cef@syslog+tls://h:port", /expected syslog\+tls/],
    ["cef@syslog+udp://h", /only syslog over TLS/],
    ["cef@kafka://h", /unknown sink/],
  ])("%s is a usage error", (spec, message) => {
    let err: unknown;
    try {
      parseTarget(spec, "/");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CipherproofError);
    expect((err as CipherproofError).code).toBe("USAGE");
    expect((err as CipherproofError).message).toMatch(message);
  });

  it("config objects carry options; shared options fill the gaps", () => {
    const [a, b] = parseTargets(
      ["ocsf@stdout", { target: "ocsf@hec:https://h:8088", tokenEnv: "T", caFile: "/own.pem" }],
      "/",
      { caFile: "/shared.pem" },
    );
    expect(a.options).toEqual({ caFile: "/shared.pem" });
    expect(b.options).toEqual({ caFile: "/own.pem", tokenEnv: "T" });
    expect(targetKey(b)).toBe("ocsf@hec:https://h:8088");
  });
});

function ev(id: string): SiemEvent {
  return { id, kind: "finding", format: "ocsf", time: 1, severity: "high", body: { id } };
}

describe("spool", () => {
  it("one spool per target; append-only NDJSON; torn last lines are counted, not fatal; rewrite and removal", () => {
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-spool-"));
    const t1 = parseTarget("ocsf@hec:https://a:8088", "/");
    const t2 = parseTarget("ecs@hec:https://a:8088", "/");
    expect(spoolPaths(dir, t1).events).not.toBe(spoolPaths(dir, t2).events);
    appendSpool(dir, t1, [ev("a"), ev("b")]);
    appendSpool(dir, t1, [ev("c")]);
    const file = spoolPaths(dir, t1).events;
    expect(readSpool(file).events.map((e) => e.id)).toEqual(["a", "b", "c"]);
    writeFileSync(file, `${readFileSync(file, "utf8")}{"id":"d","kin`);
    expect(readSpool(file)).toMatchObject({ torn: 1 });
    expect(listSpools(dir).map((s) => s.meta.key)).toEqual(["ocsf@hec:https://a:8088"]);
    rewriteSpool(dir, t1, [ev("c")]);
    expect(readSpool(file)).toEqual({ events: [ev("c")], torn: 0 });
    rewriteSpool(dir, t1, []);
    expect(listSpools(dir)).toEqual([]);
  });

  it("reads a spool a block at a time: lines across block edges, long lines, multibyte text", () => {
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-spool-"));
    const t = parseTarget("ecs@hec:https://a:8088", "/");
    // Lines of many lengths, one over the 1 MiB read block, with 2-, 3- and 4-byte characters: some straddle an edge.
    const events = Array.from({ length: 400 }, (_, i) => ({
      ...ev(`e${i}`),
      message: `${"é€😀".repeat((i * 997) % 3000)}${i === 200 ? "x".repeat(1_500_000) : ""}`,
    })) as unknown as SiemEvent[];
    appendSpool(dir, t, events);
    const file = spoolPaths(dir, t).events;
    expect(readFileSync(file).length).toBeGreaterThan(3 * 1024 * 1024);
    expect(readSpool(file)).toEqual({ events, torn: 0 });
    writeFileSync(file, `${readFileSync(file, "utf8")}{"id":"torn","message":"${"😀".repeat(300_000)}`);
    expect(readSpool(file)).toEqual({ events, torn: 1 });
  });
});

describe("helpers", () => {
  it("backoff grows exponentially, is capped, and has jitter in [cap/2, cap]", () => {
    const p = { attempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it("redact replaces every occurrence of a secret", () => {
    expect(redact("Splunk abcd-1234 failed for abcd-1234", ["abcd-1234", undefined])).toBe(
      "Splunk [redacted] failed for [redacted]",
    );
  });

  it("batches respect count and byte limits; an oversized item travels alone", () => {
    const items = ["aa", "bb", "cccccccccc", "d", "e", "f"];
    expect(batches(items, (s) => s.length, 3, 5)).toEqual([["aa", "bb"], ["cccccccccc"], ["d", "e", "f"]]);
  });
});

describe("siem section of the config file", () => {
  it("accepts targets as strings or objects with options", () => {
    const c = parseConfig(
      {
        siem: {
          events: "all",
          spoolDir: "s",
          caFile: "ca.pem",
          targets: [
            "ocsf@file:x",
            { target: "ocsf@hec:https://h:8088", tokenEnv: "T", ack: true, retry: { attempts: 3 } },
          ],
        },
      },
      "c.json",
    );
    expect(c.siem?.targets).toHaveLength(2);
  });

  it.each([
    [{ siem: { events: "some" } }],
    [{ siem: { targets: ["no-at-sign"] } }],
    [{ siem: { targets: [{ target: "ocsf@stdout", token: "inline-secret" }] } }],
    [{ siem: { targets: [{ target: "ocsf@stdout", tokenEnv: "not a name" }] } }],
    [{ siem: { unknown: 1 } }],
  ])("rejects %j", (raw) => {
    let err: unknown;
    try {
      parseConfig(raw, "c.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CipherproofError);
    const e = err as CipherproofError;
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.location.pointer).toMatch(/^\/siem\//);
    expect(e.message).not.toContain("inline-secret");
  });
});
