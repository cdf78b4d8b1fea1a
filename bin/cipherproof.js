#!/usr/bin/env node
// The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22; README.md says so once instead.
// Set before the SDK loads (hence the dynamic import); a value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// A reader that goes away (`cipherproof policies list | head -1`) is not an error: stop writing, keep the exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") return;
    throw err;
  });
}
const { main } = await import("../dist/cli/main.js");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Last-resort guard: an unexpected failure still gets a message, not a stack, unless debugging.
    process.stderr.write(`cipherproof: internal error: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.CIPHERPROOF_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    process.exitCode = 2;
  },
);
