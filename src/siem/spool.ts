import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { joinInPieces } from "../reporters/pieces.js";
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

/** Write `text` (or its pieces, in order), fsync'd. */
function writeSynced(path: string, text: string | string[], flag: "a" | "w"): void {
  const fd = openSync(path, flag, 0o600);
  try {
    for (const piece of typeof text === "string" ? [text] : text) writeAll(fd, piece);
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
    // A name of its own: a delivery that parks events may write the meta at the same time as the lock holder.
    const tmp = `${p.meta}.tmp-${randomUUID().slice(0, 8)}`;
    writeSynced(tmp, `${JSON.stringify(meta, null, 2)}\n`, "w");
    renameSync(tmp, p.meta);
  }
  if (events.length) writeSynced(p.events, ndjson(events), "a");
  fsyncDir(dir);
  return p.events;
}

/**
 * Events as NDJSON lines, in pieces of about a megabyte: a scan of hundreds of thousands of resources spools more
 * than one string can hold (see reporters/pieces.ts).
 */
function ndjson(events: SiemEvent[]): string[] {
  return joinInPieces(
    events.map((e) => `${JSON.stringify(e)}\n`),
    "",
  );
}

/** Bytes read from a spool at a time. */
const READ_BLOCK = 1 << 20;

/**
 * Events spooled for a target, oldest first; a torn last line (a crash mid-append) is skipped and counted. Read a
 * block at a time and split at newline bytes, so a spool of any size is read without one string holding it all.
 */
export function readSpool(file: string): { events: SiemEvent[]; torn: number } {
  if (!existsSync(file)) return { events: [], torn: 0 };
  const events: SiemEvent[] = [];
  let torn = 0;
  const take = (line: string) => {
    if (!line) return;
    try {
      events.push(JSON.parse(line) as SiemEvent);
    } catch {
      torn++;
    }
  };
  const fd = openSync(file, "r");
  try {
    const block = Buffer.allocUnsafe(READ_BLOCK);
    let carry: Buffer[] = []; // the start of a line that continues in the next block
    for (
      let n = readSync(fd, block, 0, READ_BLOCK, null);
      n > 0;
      n = readSync(fd, block, 0, READ_BLOCK, null)
    ) {
      let from = 0;
      for (let nl = block.indexOf(10, from); nl !== -1 && nl < n; nl = block.indexOf(10, from)) {
        const tail = block.subarray(from, nl);
        take(carry.length ? Buffer.concat([...carry, tail]).toString("utf8") : tail.toString("utf8"));
        carry = [];
        from = nl + 1;
      }
      if (from < n) carry.push(Buffer.from(block.subarray(from, n)));
    }
    if (carry.length) take(Buffer.concat(carry).toString("utf8"));
  } finally {
    closeSync(fd);
  }
  return { events, torn };
}

/** The name every parked file of a target starts with: `<spool base>.parked-`. */
function parkedPrefix(dir: string, t: Target): string {
  return `${basename(spoolPaths(dir, t).events, ".ndjson")}.parked-`;
}

/**
 * Files of events parked for a target while its spool was locked by another delivery
 * (`<spool>.parked-<time>-<id>.ndjson`), oldest first. The next delivery to the target merges them into the spool.
 */
export function parkedFiles(dir: string, t: Target): string[] {
  if (!existsSync(dir)) return [];
  const prefix = parkedPrefix(dir, t);
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && n.endsWith(".ndjson"))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Park events for a target whose spool another delivery holds: a file of their own next to the spool (written to a
 * temp name, fsync'd, renamed), so nothing waits on the lock and nothing is lost. Returns the file.
 */
export function parkEvents(dir: string, t: Target, events: SiemEvent[]): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  const file = join(dir, `${parkedPrefix(dir, t)}${stamp}-${randomUUID().slice(0, 8)}.ndjson`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSynced(`${file}.tmp`, ndjson(events), "w");
  renameSync(`${file}.tmp`, file);
  // The target's meta, so `siem flush` finds it. Written after the rename: a holder emptying the spool removes the
  // meta before it looks for parked files, so one of the two always sees the other.
  appendSpool(dir, t, []);
  return file;
}

/** Temp files of parkers that died before their rename (never reported as kept), once surely abandoned. */
export function removeAbandonedParkTemps(dir: string, t: Target, olderThanMs = 600_000): void {
  if (!existsSync(dir)) return;
  const prefix = parkedPrefix(dir, t);
  for (const n of readdirSync(dir)) {
    if (!n.startsWith(prefix) || !n.endsWith(".ndjson.tmp")) continue;
    const path = join(dir, n);
    try {
      if (Date.now() - statSync(path).mtimeMs > olderThanMs) rmSync(path, { force: true });
    } catch {
      // gone already
    }
  }
}

/** Replace a spool with the events still undelivered (atomically: temp file, fsync, rename), or remove it when none are. */
export function rewriteSpool(dir: string, t: Target, remaining: SiemEvent[]): void {
  const p = spoolPaths(dir, t);
  if (remaining.length === 0) {
    rmSync(p.events, { force: true });
    rmSync(p.meta, { force: true });
    // Events parked meanwhile still need the target's meta to be flushed (looked for after the removal; see parkEvents).
    if (parkedFiles(dir, t).length > 0) appendSpool(dir, t, []);
    fsyncDir(dir);
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSynced(`${p.events}.tmp`, ndjson(remaining), "w");
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

/** How long to wait for a spool's lock, and how often to look. */
export interface SpoolLockOptions {
  /** Give up after this many milliseconds (default 10 minutes: a delivery with retries can take a while). */
  timeoutMs?: number;
  /** Look again after this many milliseconds (default 100). */
  pollMs?: number;
  /** A lock file with no readable owner older than this is left over from a crash (default 30 s). */
  orphanMs?: number;
}

/** What a lock file holds: who took it and when. */
export interface SpoolLockOwner {
  pid: number;
  host: string;
  time: string;
  token: string;
}

/** The spool stayed locked by another delivery for longer than the wait allows. */
export class SpoolLockedError extends Error {}

/** The lock file of a target's spool. */
export function spoolLockPath(dir: string, t: Target): string {
  return `${spoolPaths(dir, t).events}.lock`;
}

function readOwner(path: string): SpoolLockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, "utf8")) as SpoolLockOwner;
    return typeof o.pid === "number" && typeof o.token === "string" ? o : undefined;
  } catch {
    return undefined;
  }
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Whether a lock is left over: its process on this host is gone, or it never got an owner and is old. */
function isStale(path: string, owner: SpoolLockOwner | undefined, orphanMs: number): boolean {
  if (owner) return owner.host === hostname() && processGone(owner.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > orphanMs;
  } catch {
    return false; // gone already: the next attempt creates it
  }
}

/** Take over a stale lock: move it aside, and put it back if what was moved turns out not to be the stale one. */
function takeOver(path: string, stale: SpoolLockOwner | undefined): void {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else took it over first
  }
  const moved = readOwner(aside);
  if (stale && moved?.token !== stale.token) {
    // A live lock was created between our look and the rename: give it back (unless a new one is there already).
    try {
      linkSync(aside, path);
    } catch {
      // another process holds the lock now; the moved owner's release finds its file gone and does no harm
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Run `fn` holding the exclusive lock of a target's spool (`<spool>.ndjson.lock`, created with O_EXCL, holding pid,
 * host, time and a token), so a scan's append → deliver → rewrite and a `siem flush` of the same spool never
 * interleave and lose events. Waits with bounded retries (then throws SpoolLockedError); takes over a lock whose
 * process is gone.
 */
export async function withSpoolLock<T>(
  dir: string,
  t: Target,
  fn: () => Promise<T>,
  options: SpoolLockOptions = {},
): Promise<T> {
  const path = spoolLockPath(dir, t);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pollMs = options.pollMs ?? 100;
  const orphanMs = options.orphanMs ?? 30_000;
  const me: SpoolLockOwner = {
    pid: process.pid,
    host: hostname(),
    time: new Date().toISOString(),
    token: randomUUID(),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const fd = openSync(path, "wx", 0o600);
      try {
        writeAll(fd, `${JSON.stringify(me)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      // A spool folder that cannot be written holds no events another delivery could lose: deliver unlocked,
      // and the delivery reports that it cannot spool.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") return fn();
    }
    const owner = readOwner(path);
    if (isStale(path, owner, orphanMs)) {
      takeOver(path, owner);
      continue;
    }
    if (Date.now() >= deadline)
      throw new SpoolLockedError(
        `the spool is locked${owner ? ` by process ${owner.pid} on ${owner.host} since ${owner.time}` : ""} (${path}); try again when it is done, or remove the lock file if that process is gone`,
      );
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
  try {
    return await fn();
  } finally {
    // Remove only our own lock (a takeover may have replaced it).
    if (readOwner(path)?.token === me.token) rmSync(path, { force: true });
  }
}
