import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer, type Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { collectEndpoints, parseTarget } from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import { parseJson } from "../../../src/core/json.js";
import { type CompiledPolicy, compilePolicy } from "../../../src/core/policy/compile.js";
import { makeCa, openssl } from "../../support/openssl.js";
import { freePort } from "../../support/ports.js";

/** Repository root. */
export const ROOT = join(import.meta.dirname, "../../..");

/** Where a binary lives, or undefined; under CI=true a missing binary throws so the test fails instead of skipping. */
export function need(name: string, paths: string[] = []): string | undefined {
  for (const p of paths) if (existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const found = r.status === 0 ? r.stdout.trim() : undefined;
  if (!found && process.env.CI)
    throw new Error(
      `${name} is required for the endpoint tests (install it: see scripts/test.sh DEB_PACKAGES)`,
    );
  return found;
}

/** The PostgreSQL server binaries folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => existsSync(join(base, d, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors.length && process.env.CI)
    throw new Error(
      "PostgreSQL server binaries are required for the endpoint tests (apt-get install postgresql)",
    );
  return majors.length ? join(base, majors[0], "bin") : undefined;
}

/** A fresh temporary folder, removed by cleanup(). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Hand an accepted connection, whose first bytes a test front has already read, to a backend on 127.0.0.1: the
 * bytes go first, then both directions are piped; either side closing closes the other.
 */
export function forwardTo(backend: number, s: Socket, first: Buffer): void {
  s.pause();
  const b = connect(backend, "127.0.0.1", () => {
    b.write(first);
    s.pipe(b);
    b.pipe(s);
    s.resume();
  });
  b.on("error", () => s.destroy());
  s.on("close", () => b.destroy());
}

export { freePort };

/** Wait until something accepts TCP connections on the port. */
export async function waitForPort(port: number, ms = 15000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
      s.connect(port, "127.0.0.1");
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
}

/** Test PKI: a CA and leaf certificates with chosen defects, all made by the openssl CLI. */
export class Pki {
  readonly ca: string;
  private n = 0;
  constructor(readonly dir: string) {
    this.ca = join(dir, "ca.pem");
    makeCa(dir, "ca", "Cipherproof Test CA", 3650);
    writeFileSync(join(dir, "index.txt"), "");
    writeFileSync(join(dir, "serial"), "1000\n");
    mkdirSync(join(dir, "newcerts"));
    writeFileSync(
      join(dir, "ca.cnf"),
      [
        "[ca]",
        "default_ca = test",
        "[test]",
        `dir = ${dir}`,
        "database = $dir/index.txt",
        "new_certs_dir = $dir/newcerts",
        "serial = $dir/serial",
        "certificate = $dir/ca.pem",
        "private_key = $dir/ca.key",
        "policy = any",
        "copy_extensions = copy",
        "unique_subject = no",
        "default_md = sha256",
        "[any]",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
  }

  /** Issue a leaf; returns {cert, key} paths. */
  leaf(
    opts: {
      key?: "rsa:2048" | "rsa:1024" | "ec";
      names?: string[];
      days?: number;
      md?: "sha256" | "sha1";
      selfSigned?: boolean;
      start?: string;
      end?: string;
    } = {},
  ): { cert: string; key: string } {
    const id = `leaf${++this.n}`;
    const names = opts.names ?? ["DNS:localhost", "IP:127.0.0.1"];
    const keyArgs =
      opts.key === "ec"
        ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        : ["-newkey", opts.key ?? "rsa:2048"];
    // An empty list issues a certificate with no subjectAltName at all (CN=localhost only).
    const san = `subjectAltName=${names.join(",")}`;
    const sanArgs = names.length ? ["-addext", san] : [];
    if (opts.selfSigned) {
      openssl(
        [
          "req",
          "-x509",
          ...keyArgs,
          "-nodes",
          "-keyout",
          `${id}.key`,
          "-out",
          `${id}.pem`,
          "-days",
          String(opts.days ?? 90),
          "-subj",
          "/CN=localhost",
          ...sanArgs,
        ],
        this.dir,
      );
    } else {
      openssl(
        [
          "req",
          "-new",
          ...keyArgs,
          "-nodes",
          "-keyout",
          `${id}.key`,
          "-out",
          `${id}.csr`,
          "-subj",
          "/CN=localhost",
          ...sanArgs,
        ],
        this.dir,
      );
      if (opts.start) {
        openssl(
          [
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-in",
            `${id}.csr`,
            "-out",
            `${id}.pem`,
            "-startdate",
            opts.start,
            "-enddate",
            opts.end ?? "",
            "-notext",
          ],
          this.dir,
        );
      } else {
        writeFileSync(
          join(this.dir, `${id}.ext`),
          `${names.length ? `${san}\n` : ""}basicConstraints=CA:FALSE\n`,
        );
        openssl(
          [
            "x509",
            "-req",
            "-in",
            `${id}.csr`,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            `${id}.pem`,
            "-days",
            String(opts.days ?? 90),
            `-${opts.md ?? "sha256"}`,
            "-extfile",
            `${id}.ext`,
          ],
          this.dir,
        );
      }
    }
    return { cert: join(this.dir, `${id}.pem`), key: join(this.dir, `${id}.key`) };
  }

  /** A signed OCSP response saying "good" for a leaf issued with `start`/`end` (recorded in the CA database), for -status_file. */
  ocspResponse(cert: string): string {
    const req = `${cert}.ocsp-req.der`;
    const resp = `${cert}.ocsp.der`;
    openssl(["ocsp", "-issuer", "ca.pem", "-cert", cert, "-reqout", req, "-no_nonce"], this.dir);
    openssl(
      [
        "ocsp",
        "-index",
        "index.txt",
        "-rsigner",
        "ca.pem",
        "-rkey",
        "ca.key",
        "-CA",
        "ca.pem",
        "-reqin",
        req,
        "-respout",
        resp,
        "-ndays",
        "7",
      ],
      this.dir,
    );
    return resp;
  }

  /** Finite-field DH parameters of the given size. */
  dhparam(bits: number): string {
    const f = join(this.dir, `dh${bits}.pem`);
    openssl(["dhparam", "-out", f, String(bits)], this.dir);
    return f;
  }
}

/** Running child processes and servers, stopped together. */
export class Fleet {
  private readonly procs: ChildProcess[] = [];
  private readonly servers: Server[] = [];
  private readonly cleanups: Array<() => void> = [];

  /** Start `openssl s_server` with extra arguments on a free port. */
  async sServer(args: string[], cert: { cert: string; key: string } | undefined): Promise<number> {
    const port = await freePort();
    const certArgs = cert ? ["-cert", cert.cert, "-key", cert.key] : ["-nocert"];
    const p = spawn(
      "openssl",
      ["s_server", "-accept", `127.0.0.1:${port}`, ...certArgs, "-www", "-quiet", ...args],
      { stdio: ["pipe", "ignore", "pipe"] },
    );
    let err = "";
    p.stderr?.on("data", (d) => (err += d));
    this.procs.push(p);
    try {
      await waitForPort(port, 10000);
    } catch {
      throw new Error(`openssl s_server ${args.join(" ")} did not start: ${err}`);
    }
    return port;
  }

  /** Start nginx with a config body (the http{} block content) in its own prefix folder. */
  async nginx(dir: string, httpBlock: string, ports: number[]): Promise<void> {
    for (const d of ["tmp", "logs"]) mkdirSync(join(dir, d), { recursive: true });
    const conf = join(dir, "nginx.conf");
    writeFileSync(
      conf,
      `daemon off;\nmaster_process off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/tmp/body;\n  proxy_temp_path ${dir}/tmp/proxy;\n  fastcgi_temp_path ${dir}/tmp/fastcgi;\n  uwsgi_temp_path ${dir}/tmp/uwsgi;\n  scgi_temp_path ${dir}/tmp/scgi;\n${httpBlock}\n}\n`,
    );
    const p = spawn("nginx", ["-p", dir, "-c", conf, "-e", `${dir}/logs/error.log`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    p.stderr?.on("data", (d) => (err += d));
    this.procs.push(p);
    for (const port of ports) {
      try {
        await waitForPort(port, 10000);
      } catch {
        throw new Error(
          `nginx did not start: ${err} ${existsSync(`${dir}/logs/error.log`) ? readFileSync(`${dir}/logs/error.log`, "utf8") : ""}`,
        );
      }
    }
  }

  /** A plain TCP server with a connection handler. */
  async tcp(onConnection: (s: Socket) => void): Promise<number> {
    const server = createServer(onConnection);
    server.on("error", () => {});
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.servers.push(server);
    return (server.address() as { port: number }).port;
  }

  /** Run this on stop. */
  onStop(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** Stop everything started here. */
  async stop(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGKILL");
    for (const s of this.servers) {
      s.close();
      (s as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    }
    for (const fn of this.cleanups.reverse()) {
      try {
        fn();
      } catch {
        // best effort: a failed cleanup must not hide the test result
      }
    }
  }
}

/** A minimal SMTP server (RFC 5321 greeting, EHLO, STARTTLS per RFC 3207, QUIT) for the STARTTLS checks. */
export function smtpHandler(opts: {
  starttls: boolean;
  cert?: { cert: string; key: string };
}): (s: Socket) => void {
  return (socket) => {
    socket.on("error", () => {});
    socket.write("220 smtp.test ESMTP cipherproof-test\r\n");
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString("latin1");
      let i = buf.indexOf("\r\n");
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const cmd = line.split(" ")[0].toUpperCase();
        if (cmd === "EHLO")
          socket.write(
            `250-smtp.test\r\n250-PIPELINING\r\n${opts.starttls ? "250-STARTTLS\r\n" : ""}250 8BITMIME\r\n`,
          );
        else if (cmd === "STARTTLS" && opts.starttls && opts.cert) {
          socket.removeListener("data", onData);
          socket.write("220 2.0.0 Ready to start TLS\r\n", () => {
            const tls = new TLSSocket(socket, {
              isServer: true,
              key: readFileSync(opts.cert!.key),
              cert: readFileSync(opts.cert!.cert),
            });
            tls.on("error", () => {});
          });
          return;
        } else if (cmd === "QUIT") {
          socket.end("221 2.0.0 Bye\r\n");
          return;
        } else socket.write("502 5.5.2 Command not recognized\r\n");
        i = buf.indexOf("\r\n");
      }
    };
    socket.on("data", onData);
  };
}

/** What sslscan saw: enabled protocols and `protocol code` pairs of accepted suites. */
export interface SslscanView {
  protocols: string[];
  suites: string[];
}

/** Run `sslscan --xml=-` (asynchronously, so in-process stand-in servers keep answering) and parse protocols and accepted suites. */
export async function sslscan(target: string, extra: string[] = []): Promise<SslscanView> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      "sslscan",
      ["--xml=-", "--no-colour", ...extra, target],
      { encoding: "utf8", timeout: 120_000, maxBuffer: 16 << 20 },
      (err, out, errOut) =>
        err ? reject(new Error(`sslscan failed: ${errOut || err.message}`)) : resolve(out),
    );
  });
  const r = { stdout };
  const protocols: string[] = [];
  for (const m of r.stdout.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g)) {
    if (m[1] === "ssl" && m[2] === "2") protocols.push("SSLv2");
    else protocols.push(m[1] === "ssl" ? `SSLv${m[2]}` : `TLSv${m[2]}`);
  }
  const suites: string[] = [];
  for (const m of r.stdout.matchAll(
    /<cipher status="(?:preferred|accepted)" sslversion="([^"]+)"[^>]*\bid="(0x[0-9A-Fa-f]+)"/g,
  )) {
    suites.push(`${m[1]} 0x${m[2].slice(2).toUpperCase().padStart(4, "0")}`);
  }
  return { protocols: protocols.sort(), suites: suites.sort() };
}

/** The endpoint policies of the built-in pack, compiled. */
export function endpointPolicies(): CompiledPolicy[] {
  const dir = join(ROOT, "policies", "in-transit");
  return readdirSync(dir)
    .filter((f) => f.startsWith("endpoint-") && f.endsWith(".json"))
    .map((f) =>
      compilePolicy(parseJson(readFileSync(join(dir, f), "utf8"), f), f, { expectedId: f.slice(0, -5) }),
    );
}

/**
 * Scan one local TLS server (127.0.0.1:port, expecting "localhost") trusting `caFile`; its endpoint.tls properties
 * and the status of each built-in endpoint policy.
 */
export async function scanLocalTls(
  port: number,
  caFile: string,
): Promise<{ props: Record<string, unknown>; status: (policyId: string) => string | undefined }> {
  const t = parseTarget(`127.0.0.1:${port}`, { sni: "localhost", hostname: "localhost" });
  const { resources } = await collectEndpoints([t], { caFile });
  const findings = evaluate(resources, endpointPolicies(), { now: new Date() }).findings;
  return {
    props: resources.find((d) => d.type === "endpoint.tls")?.properties ?? {},
    status: (policyId) => findings.find((f) => f.policyId === policyId)?.status,
  };
}

/** Start a PostgreSQL cluster as the postgres user (tests run as root) with TLS on; returns its port and a hba switcher. */
export async function startPostgres(
  fleet: Fleet,
  bin: string,
  cert: { cert: string; key: string },
): Promise<{ port: number; setHba: (lines: string[]) => Promise<void> }> {
  const dir = tempDir("cipherproof-pg-");
  chmodSync(dir, 0o755);
  const data = join(dir, "data");
  const asPg = (cmd: string, args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: dir,
    });
  execFileSync("chown", ["postgres:postgres", dir]);
  asPg("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  writeFileSync(join(data, "server.crt"), readFileSync(cert.cert));
  writeFileSync(join(data, "server.key"), readFileSync(cert.key));
  execFileSync("chown", ["postgres:postgres", join(data, "server.crt"), join(data, "server.key")]);
  chmodSync(join(data, "server.key"), 0o600);
  const port = await freePort();
  writeFileSync(
    join(data, "postgresql.auto.conf"),
    `port = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_min_protocol_version = 'TLSv1.2'\nfsync = off\n`,
  );
  const setHbaFile = (lines: string[]) => {
    writeFileSync(join(data, "pg_hba.conf"), `local all all trust\n${lines.join("\n")}\n`);
    execFileSync("chown", ["postgres:postgres", join(data, "pg_hba.conf")]);
  };
  setHbaFile(["hostssl all all 127.0.0.1/32 scram-sha-256"]);
  asPg("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "30", "start"]);
  fleet.onStop(() => {
    asPg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForPort(port);
  return {
    port,
    setHba: async (lines) => {
      setHbaFile(lines);
      asPg("pg_ctl", ["-D", data, "reload"]);
      await new Promise((r) => setTimeout(r, 700));
    },
  };
}
