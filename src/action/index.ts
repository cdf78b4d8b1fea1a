// Entry point of the GitHub Action (bundled to dist-action/index.js): runs in the runner's environment.
// The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22: set before the SDK loads (hence
// the dynamic import); a value the workflow set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { run } = await import("./main.js");

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
