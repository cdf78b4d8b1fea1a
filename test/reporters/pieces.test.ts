import { beforeAll, describe, expect, it } from "vitest";
import { renderCsvChunks } from "../../src/reporters/csv.js";
import { renderHtmlChunks } from "../../src/reporters/html.js";
import { renderJunitChunks } from "../../src/reporters/junit.js";
import { joinGroups, joinInPieces, jsonInPieces } from "../../src/reporters/pieces.js";
import type { ScanResult } from "../../src/scan.js";
import { sampleScan, scaled } from "./fixtures.js";

const MIB = 1024 * 1024;

describe("reports in pieces", () => {
  it("joinInPieces is join, in pieces of about a megabyte", () => {
    const long = "x".repeat(3 * MIB);
    const lists: string[][] = [
      [],
      [""],
      ["a"],
      ["a", "", "b"],
      Array.from({ length: 50_000 }, (_, i) => `row ${i} ${"y".repeat(i % 97)}`),
      ["head", long, "tail", long],
    ];
    for (const parts of lists)
      for (const sep of ["", "\n", "\r\n"]) {
        const pieces = joinInPieces(parts, sep);
        expect(pieces.join("")).toBe(parts.join(sep));
        if (parts !== lists[5]) for (const piece of pieces) expect(piece.length).toBeLessThan(2 * MIB);
      }
    expect(joinInPieces(lists[4], "\n").length).toBeGreaterThan(2);
  });

  it("joinGroups is join over groups that may already be in pieces", () => {
    const groups = ["a", ["b", "c"], [], "d", ["x".repeat(3 * MIB)]];
    const flat = groups.map((g) => (typeof g === "string" ? g : g.join("")));
    for (const sep of ["", "\n"]) expect(joinGroups(groups, sep).join("")).toBe(flat.join(sep));
    expect(joinGroups([], "\n")).toEqual([]);
  });

  it("jsonInPieces is JSON.stringify(doc, null, 2), whatever the lists hold and wherever they stand", () => {
    const item = (i: number) => ({
      i,
      s: `line\n"${i}"\u2028\ud800`,
      nested: { list: [i, [], {}], empty: [] },
    });
    for (const n of [0, 1, 999, 1000, 1001, 2500]) {
      const doc = {
        head: { a: [], b: "x" },
        first: Array.from({ length: n }, (_, i) => item(i)),
        middle: '\n  "second": []',
        second: Array.from({ length: n % 7 }, (_, i) => [i, null, "z"]),
        notAList: "kept",
        tail: [],
      };
      const whole = JSON.stringify(doc, null, 2);
      expect(jsonInPieces(doc, ["second", "first", "notAList", "absent"]).join("")).toBe(whole);
    }
  });

  describe("the large reports", () => {
    let big: ScanResult;
    beforeAll(async () => {
      big = scaled(await sampleScan(), 10_000);
    });
    it.each([
      ["findings.csv", () => renderCsvChunks(big)],
      ["report.html", () => renderHtmlChunks(big)],
      ["junit.xml", () => renderJunitChunks(big)],
    ])("%s comes in several pieces, none over about a megabyte", (_name, render) => {
      const pieces = render();
      expect(pieces.length).toBeGreaterThan(2);
      for (const piece of pieces) expect(piece.length).toBeLessThan(2 * MIB);
    });
  });
});
