import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CipherproofError } from "../core/errors.js";
import { withoutWorkflowCommands } from "../core/printable.js";

/** Where the CLI writes: injectable so commands can be called from tests. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    // Run in a CI step, a printed line that starts with "::" would be a workflow command to the runner.
    stdout: (s) => process.stdout.write(withoutWorkflowCommands(s)),
    stderr: (s) => process.stderr.write(withoutWorkflowCommands(s)),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Write several files so that either all appear or none: each is written to a temporary name first, then all are
 * renamed into place.
 */
export function writeFilesAtomically(dir: string, files: Record<string, string | Buffer>): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new CipherproofError(
      "FILE_UNREADABLE",
      `cannot create output folder: ${(err as NodeJS.ErrnoException).code}`,
      { file: dir },
    );
  }
  const temps: Array<[string, string]> = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const final = join(dir, name);
      mkdirSync(dirname(final), { recursive: true });
      const tmp = `${final}.tmp-${process.pid}`;
      writeFileSync(tmp, content);
      temps.push([tmp, final]);
    }
    for (const [tmp, final] of temps) renameSync(tmp, final);
  } catch (err) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    if (err instanceof CipherproofError) throw err;
    throw new CipherproofError(
      "FILE_UNREADABLE",
      `cannot write output: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { file: dir },
    );
  }
  return temps.map(([, f]) => f);
}
