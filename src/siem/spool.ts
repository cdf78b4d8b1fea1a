import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { type Target, type TargetOptions, targetKey } from "./spec.js";
import type { SiemEvent } from "./types.js";

/** What a spool file is for: the target it holds events for (no secrets: those are env var names). */
export interface SpoolMeta {
  key: string;
  spec: string;
  options: TargetOptions;
}

/** Paths of a target's spool: the NDJSON events and the JSON that says where they go. */
export function spoolPaths(dir: string, t: Target): { events: string; meta: string } {
  const key = targetKey(t);
  const slug = key
    .replace(/^[a-z0-9]+@/, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  const base = `${t.format}-${slug}-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
  return { events: join(dir, `${base}.ndjson`), meta: join(dir, `${base}.target.json`) };
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot open a folder for fsync; the file itself is synced
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

function writeSynced(path: string, text: string, flag: "a" | "w"): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Append events to a target's spool (one JSON line each), fsync'd before returning. */
export function appendSpool(dir: string, t: Target, events: SiemEvent[]): string {
  const p = spoolPaths(dir, t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(p.meta)) {
    const meta: SpoolMeta = { key: targetKey(t), spec: t.spec, options: t.options };
    writeSynced(`${p.meta}.tmp`, `${JSON.stringify(meta, null, 2)}\n`, "w");
    renameSync(`${p.meta}.tmp`, p.meta);
  }
  if (events.length) writeSynced(p.events, events.map((e) => `${JSON.stringify(e)}\n`).join(""), "a");
  fsyncDir(dir);
  return p.events;
}

/** Events spooled for a target, oldest first; a torn last line (a crash mid-append) is skipped and counted. */
export function readSpool(file: string): { events: SiemEvent[]; torn: number } {
  if (!existsSync(file)) return { events: [], torn: 0 };
  const events: SiemEvent[] = [];
  let torn = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as SiemEvent);
    } catch {
      torn++;
    }
  }
  return { events, torn };
}

/** Replace a spool with the events still undelivered (atomically: temp file, fsync, rename), or remove it when none are. */
export function rewriteSpool(dir: string, t: Target, remaining: SiemEvent[]): void {
  const p = spoolPaths(dir, t);
  if (remaining.length === 0) {
    rmSync(p.events, { force: true });
    rmSync(p.meta, { force: true });
    fsyncDir(dir);
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSynced(`${p.events}.tmp`, remaining.map((e) => `${JSON.stringify(e)}\n`).join(""), "w");
  renameSync(`${p.events}.tmp`, p.events);
  appendSpool(dir, t, []);
}

/** Every spool in a folder, with the target it belongs to. */
export function listSpools(dir: string): Array<{ events: string; meta: SpoolMeta }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith(".target.json"))
    .sort()
    .map((n) => ({
      events: join(dir, n.replace(/\.target\.json$/, ".ndjson")),
      meta: JSON.parse(readFileSync(join(dir, n), "utf8")) as SpoolMeta,
    }));
}
