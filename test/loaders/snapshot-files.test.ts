import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CipherproofError } from "../../src/core/errors.js";
import { expandSnapshots } from "../../src/loaders/snapshot-files.js";
import { tempDir } from "../support/cli.js";

describe("expandSnapshots", () => {
  it("takes a folder's .json and .json.gz files in any case, in name order (not folders), and leaves other paths alone", () => {
    const dir = tempDir();
    for (const name of ["b.json", "A.JSON.GZ", "c.Json", "notes.txt", "d.json.bak"])
      writeFileSync(join(dir, name), "");
    mkdirSync(join(dir, "sub.json"));
    expect(expandSnapshots([dir, "/nowhere/x.json"])).toEqual([
      join(dir, "A.JSON.GZ"),
      join(dir, "b.json"),
      join(dir, "c.Json"),
      "/nowhere/x.json",
    ]);
  });

  it("refuses a folder without snapshot files, naming it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "");
    expect(() => expandSnapshots([dir])).toThrow(CipherproofError);
    expect(() => expandSnapshots([dir])).toThrow(/no \.json or \.json\.gz snapshot files in folder/);
  });
});
