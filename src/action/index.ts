// Entry point of the GitHub Action (bundled to dist-action/index.js): runs in the runner's environment.
import { run } from "./main.js";

run(process.env, {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then(
  (r) => {
    process.exitCode = r.exitCode;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(
      `::error title=Cipherproof internal error::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`,
    );
    if (process.env.CIPHERPROOF_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  },
);
