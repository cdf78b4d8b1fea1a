// Live-collection benchmark: 10,000 resources served by the wire-level AWS stand-in with 20 ms latency per call.
// Prints wall time, API calls per resource, and the speed-up over strictly sequential collection (one call at a
// time). The sequential run is measured on a 10% sample of the same resource mix (BENCH_SEQ_FULL=1 runs it on
// everything; that takes about ten minutes), and the speed-up compares time per resource.
// Run: npm run build && node bench/collect.js
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import ts from "typescript";
import { collectAws } from "../dist/collectors/aws/index.js";

// As the CLI does (bin/cipherproof.js): the SDK's notice about future Node versions is not a benchmark result.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.BENCH_RESOURCES ?? 10_000);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SEQ_FULL = process.env.BENCH_SEQ_FULL === "1";
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

// The stand-in is TypeScript under test/support; transpile it once into a temporary folder. It runs in a worker
// thread so that serving 20 ms responses does not compete with the collector for this thread's CPU, as real AWS
// would not.
function transpileStandIn() {
  const src = join(ROOT, "test/support/aws-standin");
  const out = join(tmpdir(), `cipherproof-standin-${process.pid}`);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(src).filter((n) => n.endsWith(".ts"))) {
    const js = ts.transpileModule(readFileSync(join(src, f), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(out, f.replace(/\.ts$/, ".js")), js);
  }
  writeFileSync(
    join(out, "worker.js"),
    `import { parentPort, workerData } from "node:worker_threads";
import { startStandIn } from "./server.js";
const standin = await startStandIn(workerData);
parentPort.postMessage({ url: standin.url });
parentPort.on("message", async (m) => {
  if (m === "close") {
    const calls = standin.totalCalls();
    await standin.close();
    parentPort.postMessage({ calls });
  }
});
`,
  );
  return join(out, "worker.js");
}

// Start the stand-in in a worker; resolves to its URL and a close() that returns the number of calls served.
function startStandInWorker(file, options) {
  const worker = new Worker(file, { workerData: options });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  return next().then(({ url }) => ({
    url,
    async close() {
      const done = next();
      worker.postMessage("close");
      const { calls } = await done;
      await worker.terminate();
      return calls;
    },
  }));
}

// The resource mix: what a typical account holds, scaled to `total` resources.
function fixture(total) {
  const share = { kms: 0.2, ebs: 0.2, logs: 0.2, secrets: 0.1, s3: 0.1, rds: 0.1, acm: 0.1 };
  const n = Object.fromEntries(Object.entries(share).map(([k, v]) => [k, Math.round(total * v)]));
  const keyArn = (i) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/bench-${i}`;
  const keys = Array.from({ length: n.kms }, (_, i) => ({
    KeyMetadata: {
      KeyId: `bench-${i}`,
      Arn: keyArn(i),
      CreationDate: "@now-400d",
      Enabled: true,
      Description: "",
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "AWS_KMS",
      KeyManager: i % 10 === 0 ? "AWS" : "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      MultiRegion: false,
    },
    RotationEnabled: i % 3 !== 0,
    RotationPeriodInDays: 365,
    Rotations: i % 2 ? [{ KeyId: `bench-${i}`, RotationDate: "@now-30d" }] : [],
  }));
  const pick = (i) => keyArn(i % Math.max(1, Math.min(n.kms, 20)));
  return {
    credentials: { AKIABENCH: ACCOUNT },
    accounts: {
      [ACCOUNT]: {
        regions: [REGION],
        iam: { users: [] },
        s3: {
          buckets: Array.from({ length: n.s3 }, (_, i) => ({
            Name: `bench-bucket-${i}`,
            CreationDate: "@now-100d",
            region: REGION,
            encryption:
              i % 2
                ? { SSEAlgorithm: "aws:kms", KMSMasterKeyID: pick(i), BucketKeyEnabled: true }
                : { SSEAlgorithm: "AES256" },
            policy: null,
            publicAccessBlock: null,
            versioning: "Enabled",
            logging: null,
          })),
        },
        regionData: {
          [REGION]: {
            kms: { keys, aliases: [] },
            ec2: {
              ebsEncryptionByDefault: true,
              volumes: Array.from({ length: n.ebs }, (_, i) => ({
                volumeId: `vol-${i}`,
                size: 8,
                availabilityZone: "us-east-1a",
                status: "in-use",
                volumeType: "gp3",
                encrypted: i % 4 !== 0,
                ...(i % 4 ? { kmsKeyId: pick(i) } : {}),
                attachmentSet: [],
              })),
            },
            logs: {
              logGroups: Array.from({ length: n.logs }, (_, i) => ({
                logGroupName: `/bench/${i}`,
                retentionInDays: 365,
                storedBytes: 1,
                creationTime: 1700000000000,
              })),
            },
            secretsmanager: {
              secrets: Array.from({ length: n.secrets }, (_, i) => ({
                ARN: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:s-${i}`,
                Name: `s-${i}`,
                RotationEnabled: false,
                KmsKeyId: pick(i),
              })),
            },
            rds: {
              DBInstances: Array.from({ length: n.rds }, (_, i) => ({
                DBInstanceIdentifier: `db-${i}`,
                DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-${i}`,
                Engine: "postgres",
                EngineVersion: "16.3",
                DBInstanceClass: "db.t4g.micro",
                DBInstanceStatus: "available",
                StorageEncrypted: true,
                KmsKeyId: pick(i),
                DBParameterGroups: [{ DBParameterGroupName: `pg-${i % 10}` }],
                PubliclyAccessible: false,
                BackupRetentionPeriod: 7,
                IAMDatabaseAuthenticationEnabled: false,
                CACertificateIdentifier: "rds-ca-rsa2048-g1",
              })),
              DBParameterGroups: Object.fromEntries(
                Array.from({ length: 10 }, (_, g) => [
                  `pg-${g}`,
                  {
                    Family: "postgres16",
                    Parameters: [{ ParameterName: "rds.force_ssl", ParameterValue: "1", Source: "user" }],
                  },
                ]),
              ),
              Certificates: [
                { CertificateIdentifier: "rds-ca-rsa2048-g1", ValidTill: "2061-05-25T23:34:57Z" },
              ],
            },
            acm: {
              certificates: Array.from({ length: n.acm }, (_, i) => ({
                CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/c-${i}`,
                DomainName: `c${i}.example.com`,
                Status: "ISSUED",
                Type: "AMAZON_ISSUED",
                NotAfter: "@now+200d",
                KeyAlgorithm: "RSA_2048",
                InUseBy: [],
                RenewalEligibility: "INELIGIBLE",
              })),
            },
          },
        },
      },
    },
  };
}

async function run(workerFile, total, concurrency) {
  const standin = await startStandInWorker(workerFile, {
    fixture: fixture(total),
    latencyMs: LATENCY,
    pageSize: 100,
  });
  let calls = 0;
  try {
    const t0 = performance.now();
    const got = await collectAws({
      endpointUrl: standin.url,
      credentials: { accessKeyId: "AKIABENCH", secretAccessKey: "bench" },
      homeRegion: REGION,
      regions: [REGION],
      env: {},
      ...(concurrency === 1 ? { maxConcurrency: 1, maxTotalConcurrency: 1 } : {}),
    });
    const ms = performance.now() - t0;
    // Resources counted without the per-region settings document, which is not one of the N.
    const resources = got.resources.filter((r) => r.type !== "aws.account.region").length;
    if (got.failedCalls || got.collectionErrors)
      throw new Error(`bench run had ${got.failedCalls} failed calls`);
    return {
      ms,
      resources,
      get calls() {
        return calls;
      },
    };
  } finally {
    calls = await standin.close();
  }
}

const workerFile = transpileStandIn();
const seqTotal = SEQ_FULL ? N : Math.round(N / 10);
const par = await run(workerFile, N, 16);
const seq = await run(workerFile, seqTotal, 1);
const perPar = par.ms / par.resources;
const perSeq = seq.ms / seq.resources;
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(`live AWS collection through the stand-in, ${LATENCY} ms latency per call`);
console.log(
  `  default concurrency (16 per service and region): ${par.resources} resources in ${fmt(par.ms)}, ${par.calls} API calls, ${(par.calls / par.resources).toFixed(2)} calls/resource, ${(par.resources / (par.ms / 1000)).toFixed(0)} resources/s`,
);
console.log(
  `  sequential (one call at a time): ${seq.resources} resources in ${fmt(seq.ms)}, ${seq.calls} API calls, ${(seq.calls / seq.resources).toFixed(2)} calls/resource${SEQ_FULL ? "" : " (10% sample of the same mix)"}`,
);
console.log(`  sequential estimate for ${par.resources}: ${fmt(perSeq * par.resources)}`);
console.log(`  speed-up over sequential: ${(perSeq / perPar).toFixed(1)}x`);
