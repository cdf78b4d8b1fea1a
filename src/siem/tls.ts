import { readFileSync } from "node:fs";
import { CipherproofError } from "../core/errors.js";
import type { TargetOptions } from "./spec.js";

/** TLS material for a connection; verification of the server is always on. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
      { file },
    );
  }
}

/** Load the CA bundle and client certificate a target names; a certificate without its key is a usage error. */
export function tlsMaterial(o: TargetOptions): TlsMaterial {
  if (!!o.clientCert !== !!o.clientKey) {
    throw new CipherproofError(
      "USAGE",
      "a client certificate needs its key (and the other way round)",
      {},
      "give both --siem-client-cert and --siem-client-key",
    );
  }
  return {
    ...(o.caFile ? { ca: read(o.caFile, "--siem-ca-file") } : {}),
    ...(o.clientCert ? { cert: read(o.clientCert, "client certificate") } : {}),
    ...(o.clientKey ? { key: read(o.clientKey, "client key") } : {}),
  };
}
