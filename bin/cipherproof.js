#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

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
