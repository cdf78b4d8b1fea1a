import { spawn } from "node:child_process";
import { BIN, ROOT } from "../../support/cli.js";

/** Run the real CLI asynchronously (the stand-in lives in this process, so spawnSync would deadlock it). */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A minimal environment: no inherited AWS settings, a fresh HOME (so no ~/.aws), plus the given variables. */
export function cleanEnv(home: string, extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...extra };
}
