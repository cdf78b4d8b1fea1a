// A simulated GitHub runner environment for the action: INPUT_* variables named the way the runner names them,
// GITHUB_WORKSPACE, and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../support/cli.js";

/** The variable the runner sets for an input: INPUT_ + upper-cased name, spaces to underscores, hyphens kept. */
export function runnerInputName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** A fresh workspace holding a copy of the example estate, plus the runner's files and environment. */
export function simulatedRunner(inputs: Record<string, string>): {
  workspace: string;
  env: Record<string, string>;
  outputFile: string;
  summaryFile: string;
} {
  const workspace = tempDir("cipherproof-ws-");
  mkdirSync(join(workspace, "examples"));
  cpSync(join(ROOT, "examples", "healthcare-saas"), join(workspace, "examples", "healthcare-saas"), {
    recursive: true,
  });
  const runnerTemp = tempDir("cipherproof-runner-");
  const outputFile = join(runnerTemp, "output");
  const summaryFile = join(runnerTemp, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
  };
  for (const [k, v] of Object.entries(inputs)) env[runnerInputName(k)] = v;
  return { workspace, env, outputFile, summaryFile };
}

/** Parse a GITHUB_OUTPUT file (name<<DELIMITER … DELIMITER records, or name=value lines). */
export function parseOutputFile(file: string): Record<string, string> {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i++]);
      if (i >= lines.length) throw new Error(`unterminated output ${heredoc[1]}`);
      out[heredoc[1]] = value.join("\n");
    } else {
      const eq = line.indexOf("=");
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}
