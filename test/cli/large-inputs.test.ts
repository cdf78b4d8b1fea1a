import { closeSync, ftruncateSync, openSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendAll } from "../../src/core/arrays.js";
import type { ResourceDocument } from "../../src/core/types.js";
import { scan } from "../../src/scan.js";
import { filesIn, runCli, tempDir } from "../support/cli.js";

// V8 caps a string at 2^29 − 24 characters. Files past that cannot be read as one JSON document; a sparse file of
// that size costs no disk space and shows what a user with one would see.
const PAST_STRING_LIMIT = 2 ** 29 + 1024;

function sparseFile(path: string, size: number): string {
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe("inputs and outputs past JavaScript's limits", () => {
  it("appends lists far longer than a call can take as arguments", () => {
    const big = Array.from({ length: 300_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError); // why appendAll exists
    const target = [-1];
    expect(appendAll(target, big)).toBe(target);
    expect(target.length).toBe(300_001);
    expect(target[300_000]).toBe(299_999);
  });

  it("scans more resources than a spread call could pass (a large organization's snapshot)", async () => {
    const resources: ResourceDocument[] = Array.from({ length: 200_000 }, (_, i) => ({
      type: "aws.kms.key",
      id: `arn:aws:kms:us-east-1:123456789012:key/k-${i}`,
      name: `k-${i}`,
      provider: "aws",
      account: "123456789012",
      region: "us-east-1",
      source: "fixture",
      collectedAt: "2026-11-22T00:00:00.000Z",
      properties: { keyManager: "AWS" },
    }));
    const result = await scan({ resources, now: new Date("2026-11-22T00:00:00Z") });
    expect(result.stats.resources).toBe(200_000);
  });

  it.each([
    ["past the string limit", PAST_STRING_LIMIT],
    ["past the 2 GiB a file read can return", 2 ** 31 + 1024],
  ])("a snapshot too large to read (%s) is a clear input error, not a crash", (_what, size) => {
    const dir = tempDir();
    sparseFile(join(dir, "huge.json"), size);
    const r = runCli(["scan", "--snapshot", "huge.json", "--out", "out"], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("error[FILE_UNREADABLE]");
    expect(r.stderr).toContain("huge.json");
    expect(r.stderr).toContain("snapshot file is too large to read");
    expect(r.stderr).toContain("--snapshot");
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    expect(filesIn(join(dir, "out"))).toEqual([]);
  });

  it.each([
    ["past the string limit", PAST_STRING_LIMIT],
    ["past the 2 GiB a file read can return", 2 ** 31 + 1024],
  ])("a findings file too large to read (%s) names the file and suggests --shard", (_what, size) => {
    const dir = tempDir();
    sparseFile(join(dir, "findings.json"), size);
    for (const args of [
      ["diff", "findings.json", "findings.json"],
      ["report", "findings.json", "--out", "out"],
    ]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("error[FILE_UNREADABLE]");
      expect(r.stderr).toContain("findings.json");
      expect(r.stderr).toContain("findings file is too large to read");
      expect(r.stderr).toContain("--shard");
      expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    }
    expect(filesIn(join(dir, "out"))).toEqual([]);
  });
});
