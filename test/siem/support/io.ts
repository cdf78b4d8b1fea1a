import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SiemIO } from "../../../src/siem/deliver.js";

/** A recording io for library and command calls. */
export function recordingIO(
  env: Record<string, string> = {},
  cwd = mkdtempSync(join(tmpdir(), "cipherproof-siem-")),
): SiemIO & { out: string[]; err: string[]; isTTY: boolean } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, cwd, isTTY: false };
}

/** Fast retries for tests: real backoff with jitter, just short. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 };
