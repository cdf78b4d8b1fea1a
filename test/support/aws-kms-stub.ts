import {
  constants,
  createCipheriv,
  createDecipheriv,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
  verify,
} from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A wire-level stand-in for AWS KMS: a local HTTP server speaking the awsJson1_1 protocol (POST /, X-Amz-Target
 * TrentService.<Operation>, base64 blobs in JSON, errors as {"__type", "message"} with HTTP 400) for Sign, Verify,
 * GetPublicKey, GenerateDataKey and Decrypt, with real cryptography so signatures verify with node:crypto.
 */

/** Key specs the stand-in can create. */
export type StubKeySpec = "ECC_NIST_P256" | "RSA_2048" | "SYMMETRIC_DEFAULT";

interface StubKey {
  id: string;
  arn: string;
  spec: StubKeySpec;
  usage: "SIGN_VERIFY" | "ENCRYPT_DECRYPT";
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  material?: Buffer;
}

/** One request the stand-in received. */
export interface StubCall {
  op: string;
  body: Record<string, unknown>;
}

const REGION = "us-east-1";
const ACCOUNT = "111122223333";
const BLOB_MAGIC = Buffer.from("KMSSTUB1");

/** A running KMS stand-in. */
export interface KmsStub {
  endpoint: string;
  region: string;
  calls: StubCall[];
  /** Operations that answer AccessDeniedException. */
  deny: Set<string>;
  createKey(spec: StubKeySpec, alias?: string): string;
  close(): Promise<void>;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function canonicalContext(ctx: unknown): Buffer {
  const obj = (ctx ?? {}) as Record<string, string>;
  return Buffer.from(
    JSON.stringify(
      Object.keys(obj)
        .sort()
        .map((k) => [k, obj[k]]),
    ),
  );
}

/** Start the stand-in on a free local port. */
export async function startKmsStub(): Promise<KmsStub> {
  const keys = new Map<string, StubKey>();
  const aliases = new Map<string, string>();
  const calls: StubCall[] = [];
  const deny = new Set<string>();

  const resolve = (keyId: unknown): StubKey => {
    if (typeof keyId !== "string" || !keyId) throw new KmsFault("ValidationException", "KeyId is required");
    let id = keyId;
    const aliasArn = /^arn:aws:kms:[^:]+:\d+:(alias\/.+)$/.exec(id);
    if (aliasArn) id = aliasArn[1];
    if (id.startsWith("alias/")) id = aliases.get(id) ?? id;
    const keyArn = /^arn:aws:kms:[^:]+:\d+:key\/(.+)$/.exec(id);
    if (keyArn) id = keyArn[1];
    const key = keys.get(id);
    if (!key) throw new KmsFault("NotFoundException", `Key '${keyId}' does not exist`);
    return key;
  };
  const signingAlgorithms = (k: StubKey) =>
    k.spec === "ECC_NIST_P256" ? ["ECDSA_SHA_256"] : ["RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256"];
  const b64 = (v: unknown, field: string): Buffer => {
    if (typeof v !== "string") throw new KmsFault("ValidationException", `${field} is required`);
    return Buffer.from(v, "base64");
  };
  const signOptions = (k: StubKey, alg: unknown) => {
    if (!signingAlgorithms(k).includes(String(alg)))
      throw new KmsFault(
        "InvalidKeyUsageException",
        `SigningAlgorithm ${String(alg)} is not valid for this key`,
      );
    return alg === "RSASSA_PSS_SHA_256"
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : alg === "ECDSA_SHA_256"
        ? { dsaEncoding: "der" as const }
        : {};
  };

  const ops: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GetPublicKey(body) {
      const k = resolve(body.KeyId);
      if (k.usage !== "SIGN_VERIFY" || !k.publicKey)
        throw new KmsFault("UnsupportedOperationException", "GetPublicKey is not valid for symmetric keys");
      return {
        KeyId: k.arn,
        PublicKey: k.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
        KeySpec: k.spec,
        CustomerMasterKeySpec: k.spec,
        KeyUsage: k.usage,
        SigningAlgorithms: signingAlgorithms(k),
      };
    },
    Sign(body) {
      const k = resolve(body.KeyId);
      if (k.usage !== "SIGN_VERIFY" || !k.privateKey)
        throw new KmsFault("InvalidKeyUsageException", "key usage is not SIGN_VERIFY");
      if ((body.MessageType ?? "RAW") !== "RAW")
        throw new KmsFault("ValidationException", "this stand-in supports MessageType RAW only");
      const message = b64(body.Message, "Message");
      if (message.length > 4096)
        throw new KmsFault("ValidationException", "Message must be at most 4096 bytes");
      const sig = sign("sha256", message, { key: k.privateKey, ...signOptions(k, body.SigningAlgorithm) });
      return { KeyId: k.arn, Signature: sig.toString("base64"), SigningAlgorithm: body.SigningAlgorithm };
    },
    Verify(body) {
      const k = resolve(body.KeyId);
      if (!k.publicKey) throw new KmsFault("InvalidKeyUsageException", "key usage is not SIGN_VERIFY");
      const ok = verify(
        "sha256",
        b64(body.Message, "Message"),
        { key: k.publicKey, ...signOptions(k, body.SigningAlgorithm) },
        b64(body.Signature, "Signature"),
      );
      if (!ok) throw new KmsFault("KMSInvalidSignatureException", "signature is not valid");
      return { KeyId: k.arn, SignatureValid: true, SigningAlgorithm: body.SigningAlgorithm };
    },
    GenerateDataKey(body) {
      const k = resolve(body.KeyId);
      if (k.usage !== "ENCRYPT_DECRYPT" || !k.material)
        throw new KmsFault("InvalidKeyUsageException", "key usage is not ENCRYPT_DECRYPT");
      const size =
        body.KeySpec === "AES_256" ? 32 : body.KeySpec === "AES_128" ? 16 : Number(body.NumberOfBytes);
      if (!Number.isInteger(size) || size < 1 || size > 1024)
        throw new KmsFault("ValidationException", "KeySpec or NumberOfBytes is required");
      const plaintext = randomBytes(size);
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", k.material, iv);
      c.setAAD(canonicalContext(body.EncryptionContext));
      const ct = Buffer.concat([c.update(plaintext), c.final()]);
      const id = Buffer.from(k.id);
      const blob = Buffer.concat([BLOB_MAGIC, Buffer.from([id.length]), id, iv, c.getAuthTag(), ct]);
      return {
        KeyId: k.arn,
        CiphertextBlob: blob.toString("base64"),
        Plaintext: plaintext.toString("base64"),
      };
    },
    Decrypt(body) {
      const blob = b64(body.CiphertextBlob, "CiphertextBlob");
      if (!blob.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC))
        throw new KmsFault("InvalidCiphertextException", "ciphertext is not valid");
      let o = BLOB_MAGIC.length;
      const idLen = blob[o++];
      const id = blob.subarray(o, o + idLen).toString();
      o += idLen;
      const k = keys.get(id);
      if (!k?.material) throw new KmsFault("InvalidCiphertextException", "ciphertext is not valid");
      if (body.KeyId !== undefined && resolve(body.KeyId).id !== k.id)
        throw new KmsFault(
          "IncorrectKeyException",
          "The key ID in the request does not identify a CMK that can perform this operation.",
        );
      const iv = blob.subarray(o, o + 12);
      const tag = blob.subarray(o + 12, o + 28);
      const d = createDecipheriv("aes-256-gcm", k.material, iv);
      d.setAAD(canonicalContext(body.EncryptionContext));
      d.setAuthTag(tag);
      try {
        const plaintext = Buffer.concat([d.update(blob.subarray(o + 28)), d.final()]);
        return {
          KeyId: k.arn,
          Plaintext: plaintext.toString("base64"),
          EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        };
      } catch {
        throw new KmsFault("InvalidCiphertextException", "ciphertext or encryption context is not valid");
      }
    },
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": randomUUID(),
      });
      res.end(JSON.stringify(body));
    };
    const target = String(req.headers["x-amz-target"] ?? "");
    const op = target.startsWith("TrentService.") ? target.slice("TrentService.".length) : "";
    if (
      req.method !== "POST" ||
      !ops[op] ||
      !String(req.headers["content-type"] ?? "").includes("application/x-amz-json-1.1")
    ) {
      send(400, { __type: "UnknownOperationException", message: `unsupported: ${req.method} ${target}` });
      return;
    }
    if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) {
      send(400, {
        __type: "MissingAuthenticationTokenException",
        message: "Request is missing Authentication Token",
      });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      send(400, { __type: "SerializationException", message: "body is not JSON" });
      return;
    }
    calls.push({ op, body });
    try {
      if (deny.has(op))
        throw new KmsFault("AccessDeniedException", `User is not authorized to perform: kms:${op}`);
      send(200, ops[op](body));
    } catch (err) {
      if (err instanceof KmsFault) send(400, { __type: err.type, message: err.message });
      else send(500, { __type: "KMSInternalException", message: (err as Error).message });
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    calls,
    deny,
    createKey(spec, alias) {
      const id = randomUUID();
      const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
      const key: StubKey = {
        id,
        arn,
        spec,
        usage: spec === "SYMMETRIC_DEFAULT" ? "ENCRYPT_DECRYPT" : "SIGN_VERIFY",
      };
      if (spec === "ECC_NIST_P256")
        Object.assign(key, generateKeyPairSync("ec", { namedCurve: "prime256v1" }));
      else if (spec === "RSA_2048") Object.assign(key, generateKeyPairSync("rsa", { modulusLength: 2048 }));
      else key.material = randomBytes(32);
      keys.set(id, key);
      if (alias) aliases.set(alias.startsWith("alias/") ? alias : `alias/${alias}`, id);
      return arn;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
