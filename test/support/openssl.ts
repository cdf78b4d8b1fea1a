import { execFileSync } from "node:child_process";

/** Run the openssl CLI in `cwd`; its stderr is kept for the error when it fails. */
export function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Make a self-signed test CA `<name>.pem` / `<name>.key` (RSA-2048) in `dir`. */
export function makeCa(dir: string, name: string, cn: string, days: number): void {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      String(days),
      "-subj",
      `/CN=${cn}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
}
