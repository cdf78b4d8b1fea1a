// TLS endpoint benchmark: the same local servers scanned by cipherproof, sslscan and testssl.sh in one run.
// For each host: wall time and TCP connections (each connection is one handshake attempt; counted by a proxy in
// front of the server), and the ratios. Then N endpoints scanned concurrently by cipherproof.
// Needs: npm run build; openssl, sslscan (and testssl for the third column) on PATH.
//   node bench/tls.js            BENCH_CONCURRENT=N (default 20)   BENCH_TESTSSL=0 skips testssl.sh
import { execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { collectEndpoints, parseTarget } from "../dist/collectors/endpoints/index.js";

const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20);
const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
if (!has("openssl") || !has("sslscan")) {
  console.error("bench/tls.js needs openssl and sslscan (apt-get install openssl sslscan)");
  process.exit(2);
}
const TESTSSL =
  process.env.BENCH_TESTSSL !== "0" && has("testssl")
    ? "testssl"
    : has("testssl.sh") && process.env.BENCH_TESTSSL !== "0"
      ? "testssl.sh"
      : undefined;

const dir = mkdtempSync(join(tmpdir(), "cipherproof-bench-tls-"));
const children = [];
const servers = [];
const ossl = (args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });

function leaf(name, key = "rsa:2048", days = 90) {
  ossl([
    "req",
    "-new",
    "-newkey",
    key,
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    "/CN=localhost",
  ]);
  writeFileSync(join(dir, `${name}.ext`), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ossl([
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
    String(days),
    "-extfile",
    `${name}.ext`,
  ]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = createConnection({ port, host: "127.0.0.1" }, () => {
        c.destroy();
        resolve(true);
      });
      c.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not start`);
}

async function sServer(args, cert) {
  const port = await freePort();
  const p = spawn(
    "openssl",
    [
      "s_server",
      "-accept",
      `127.0.0.1:${port}`,
      "-cert",
      cert.cert,
      "-key",
      cert.key,
      "-www",
      "-quiet",
      ...args,
    ],
    { stdio: "ignore" },
  );
  children.push(p);
  await waitPort(port);
  return port;
}

/** A counting TCP proxy: every tool connects through it, so connections per tool are measured the same way. */
async function countingProxy(upstream) {
  const counter = { connections: 0 };
  const server = createServer((client) => {
    counter.connections++;
    const up = createConnection({ port: upstream, host: "127.0.0.1" });
    client.pipe(up).pipe(client);
    client.on("error", () => up.destroy());
    up.on("error", () => client.destroy());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { port: server.address().port, counter };
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const t = performance.now();
    execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 600_000 }, (err, stdout) =>
      resolve({ ms: performance.now() - t, ok: !err, stdout }),
    );
  });
}

async function main() {
  ossl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "365",
    "-subj",
    "/CN=Bench CA",
  ]);
  const good = leaf("good");
  ossl(["ecparam", "-name", "prime256v1", "-out", "p256.pem"]);
  const ec = leaf("ec", `ec:${join(dir, "p256.pem")}`);
  const dh1024 = join(dir, "dh1024.pem");
  ossl(["dhparam", "-out", dh1024, "1024"]);
  const hosts = [
    [
      "modern (TLS 1.2+1.3, ECDHE AEAD, EC cert)",
      await sServer(["-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20", "-no_tls1", "-no_tls1_1"], ec),
    ],
    ["default OpenSSL 3 s_server", await sServer([], good)],
    ["TLS 1.0 only, ALL:@SECLEVEL=0", await sServer(["-tls1", "-cipher", "ALL:@SECLEVEL=0"], good)],
    [
      "DHE 1024 + ECDHE, TLS 1.2+1.3",
      await sServer(
        ["-cipher", "DHE+AESGCM:ECDHE+AESGCM:@SECLEVEL=0", "-dhparam", dh1024, "-no_tls1", "-no_tls1_1"],
        good,
      ),
    ],
  ];

  const rows = [];
  for (const [label, port] of hosts) {
    const row = { label };
    // cipherproof: protocols, suites, groups, preference, certificate (full handshake) — the whole endpoint.tls document.
    {
      const proxy = await countingProxy(port);
      const t = performance.now();
      const r = await collectEndpoints(
        [parseTarget(`127.0.0.1:${proxy.port}`, { sni: "localhost", hostname: "localhost" })],
        { caFile: join(dir, "ca.pem") },
      );
      row.cp = {
        ms: performance.now() - t,
        conns: proxy.counter.connections,
        suites: r.resources[0].properties.cipherSuites?.length ?? 0,
      };
    }
    {
      const proxy = await countingProxy(port);
      const r = await run("sslscan", ["--no-colour", "--sni-name=localhost", `127.0.0.1:${proxy.port}`]);
      row.sslscan = { ms: r.ms, conns: proxy.counter.connections, ok: r.ok };
    }
    if (TESTSSL) {
      const proxy = await countingProxy(port);
      const r = await run(TESTSSL, [
        "--quiet",
        "--color",
        "0",
        "--warnings",
        "off",
        "-p",
        "-E",
        "-S",
        `127.0.0.1:${proxy.port}`,
      ]);
      row.testssl = { ms: r.ms, conns: proxy.counter.connections, ok: r.ok };
    }
    rows.push(row);
  }

  const f = (n) =>
    n === undefined ? "-" : n >= 10000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
  console.log(
    `\nPer host (wall time / TCP connections = handshake attempts); tools run one after another on ${hosts.length} local servers\n`,
  );
  console.log(
    [
      "host".padEnd(44),
      "cipherproof".padStart(16),
      "sslscan".padStart(16),
      "testssl.sh".padStart(18),
      "cp/sslscan".padStart(11),
      "cp/testssl".padStart(11),
    ].join(" "),
  );
  for (const r of rows) {
    console.log(
      [
        r.label.padEnd(44),
        `${f(r.cp.ms)} / ${r.cp.conns}`.padStart(16),
        `${f(r.sslscan.ms)} / ${r.sslscan.conns}`.padStart(16),
        (r.testssl ? `${f(r.testssl.ms)} / ${r.testssl.conns}` : "not installed").padStart(18),
        (r.cp.ms / r.sslscan.ms).toFixed(2).padStart(11),
        (r.testssl ? (r.cp.ms / r.testssl.ms).toFixed(3) : "-").padStart(11),
      ].join(" "),
    );
  }
  const sum = (k) => rows.reduce((a, r) => a + (r[k]?.ms ?? 0), 0);
  console.log(
    `\ntotal: cipherproof ${f(sum("cp"))}, sslscan ${f(sum("sslscan"))}${TESTSSL ? `, testssl.sh ${f(sum("testssl"))}` : ""}`,
  );
  console.log(
    "cipherproof counts include its certificate handshakes (node:tls: the server's preferred certificate, then one of the other key type); sslscan also runs its heartbleed/renegotiation/group checks, testssl.sh ran -p -E -S.",
  );

  // N endpoints at once: cipherproof's global concurrency and per-host cap.
  const ports = [];
  for (let i = 0; i < CONCURRENT; i++)
    ports.push(await sServer(i % 2 ? ["-cipher", "ECDHE+AESGCM", "-no_tls1", "-no_tls1_1"] : [], good));
  const targets = ports.map((p) =>
    parseTarget(`127.0.0.1:${p}`, { sni: "localhost", hostname: "localhost" }),
  );
  const t = performance.now();
  const r = await collectEndpoints(targets, { caFile: join(dir, "ca.pem"), concurrency: CONCURRENT });
  const ms = performance.now() - t;
  const handshakes = r.stats.reduce((a, s) => a + s.handshakes, 0);
  const per = r.stats.map((s) => s.durationMs).sort((a, b) => a - b);
  console.log(
    `\n${CONCURRENT} endpoints concurrently: ${f(ms)} wall, ${handshakes} raw handshakes (+${2 * CONCURRENT} certificate handshakes), per-endpoint median ${f(per[Math.floor(per.length / 2)])}, max ${f(per[per.length - 1])}, errors ${r.stats.filter((s) => s.error).length}`,
  );
}

try {
  await main();
} finally {
  for (const c of children) c.kill("SIGKILL");
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
}
