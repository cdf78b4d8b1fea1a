import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");
/** The real CLI entry point (runs the built dist/). */
export const BIN = join(ROOT, "bin", "cipherproof.js");

/** Result of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI as a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix = "cipherproof-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Files left in a folder (empty when it does not exist). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

/** Run the CLI in this process (no build needed) with captured output, as if started in `cwd`. */
export async function runCliInProcess(argv: string[], cwd: string): Promise<CliRun> {
  const { main } = await import("../../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}
