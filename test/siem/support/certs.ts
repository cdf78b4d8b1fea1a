import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCa, openssl } from "../../support/openssl.js";

/** PEM files of a test PKI: a CA, a server certificate for localhost / 127.0.0.1, a client certificate, and a stranger CA. */
export interface TestPki {
  dir: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting only it must make verification fail. */
  otherCaFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function makeLeaf(dir: string, name: string, cn: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${cn}`,
    ],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    ],
    dir,
  );
}

/** Generate a fresh PKI with the openssl CLI in a temp folder. */
export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "cipherproof-siem-pki-"));
  makeCa(dir, "ca", "Cipherproof Test CA", 2);
  makeCa(dir, "other-ca", "Somebody Else CA", 2);
  makeLeaf(
    dir,
    "server",
    "localhost",
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
  );
  makeLeaf(
    dir,
    "client",
    "cipherproof-client",
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:cipherproof-client\n",
  );
  const p = (n: string) => join(dir, n);
  return {
    dir,
    caFile: p("ca.pem"),
    serverCert: p("server.pem"),
    serverKey: p("server.key"),
    clientCert: p("client.pem"),
    clientKey: p("client.key"),
    otherCaFile: p("other-ca.pem"),
    ca: readFileSync(p("ca.pem")),
    cert: readFileSync(p("server.pem")),
    key: readFileSync(p("server.key")),
  };
}
