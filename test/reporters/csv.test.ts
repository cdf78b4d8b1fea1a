import { beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvCell, renderCsv } from "../../src/reporters/csv.js";
import type { ScanResult } from "../../src/scan.js";
import { NASTY_NAME, sampleScan } from "./fixtures.js";

/** A strict RFC 4180 parser (quoted fields, doubled quotes, CRLF records); throws on malformed input. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quote");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
      continue;
    }
    if (i < text.length) throw new Error(`bad record end at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

describe("CSV reporter", () => {
  let result: ScanResult;
  let rows: string[][];
  beforeAll(async () => {
    result = await sampleScan();
    rows = parseCsv(renderCsv(result));
  });

  it("has a header and exactly one row per finding, every row as wide as the header", () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(result.findings.length);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(result.findings.map((f) => f.id)));
  });

  it("uses CRLF record ends (RFC 4180)", () => {
    const text = renderCsv(result);
    expect(text.endsWith("\r\n")).toBe(true);
    // The parser accepts only CRLF record ends, so an LF-only rendering of the same rows is rejected.
    expect(() => parseCsv(text.replace(/\r\n/g, "\n"))).toThrow(/record end/);
  });

  it("neutralises formula injection and round-trips commas, quotes and newlines", () => {
    const nasty = rows.find((r) => r[8].includes("HYPERLINK"))!;
    expect(nasty[8]).toBe(`'${NASTY_NAME}`);
    for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("+cmd")).toBe("'+cmd");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("carries waiver owner, ticket, expiry and expired state", () => {
    const expired = rows.find((r) => r[16] === "SEC-7")!;
    expect(expired[1]).toBe("fail");
    expect(expired[18]).toBe("true");
    const active = rows.find((r) => r[16] === "SEC-101")!;
    expect(active[1]).toBe("waived");
    expect(active[15]).toBe("sec@medledger.example");
  });
});
