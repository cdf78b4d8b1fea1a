import { type NetOptions, openTcp, type Wire } from "./net.js";
import { PreambleError } from "./postgres.js";

/** One SMTP reply: the code and its lines. */
interface Reply {
  code: number;
  lines: string[];
}

/** Lines of one multi-line reply before the server counts as broken (an EHLO reply has a dozen). */
const MAX_REPLY_LINES = 512;

async function readReply(wire: Wire): Promise<Reply> {
  const lines: string[] = [];
  for (;;) {
    if (lines.length >= MAX_REPLY_LINES)
      throw new PreambleError(`malformed SMTP reply from the server: more than ${MAX_REPLY_LINES} lines`);
    const r = await wire.readUntil("\n", 4096);
    if (r.eof) throw new PreambleError(`SMTP server closed the connection: ${r.reason}`);
    const line = r.data.toString("latin1").replace(/\r?\n$/, "");
    const m = /^(\d{3})([ -])(.*)$/.exec(line);
    if (!m) throw new PreambleError(`not an SMTP reply: ${JSON.stringify(line.slice(0, 40))}`);
    lines.push(m[3]);
    if (m[2] === " ") return { code: Number(m[1]), lines };
  }
}

/** Greet the server and return its EHLO capabilities (the connection stays open). */
async function greet(wire: Wire): Promise<string[]> {
  wire.arm("SMTP greeting");
  const hello = await readReply(wire);
  if (hello.code !== 220)
    throw new PreambleError(`SMTP greeting was ${hello.code} ${hello.lines[0] ?? ""}`.trim());
  await wire.write("EHLO cipherproof.invalid\r\n");
  const ehlo = await readReply(wire);
  if (ehlo.code !== 250) throw new PreambleError(`EHLO was answered with ${ehlo.code}`);
  return ehlo.lines.slice(1).map((l) => l.trim().toUpperCase());
}

/** Whether the server advertises STARTTLS in its EHLO reply. */
export async function smtpCapabilities(
  host: string,
  port: number,
  net: NetOptions,
): Promise<{ starttls: boolean; capabilities: string[] }> {
  const wire = await openTcp(host, port, net);
  try {
    const caps = await greet(wire);
    await wire.write("QUIT\r\n");
    return { starttls: caps.some((c) => c === "STARTTLS"), capabilities: caps };
  } finally {
    wire.close();
  }
}

/** Open a connection, EHLO, STARTTLS; resolves when the server said 220 and expects a ClientHello. */
export async function openSmtpTls(host: string, port: number, net: NetOptions): Promise<Wire> {
  const wire = await openTcp(host, port, net);
  try {
    const caps = await greet(wire);
    if (!caps.includes("STARTTLS")) throw new PreambleError("the SMTP server does not advertise STARTTLS");
    await wire.write("STARTTLS\r\n");
    const r = await readReply(wire);
    if (r.code !== 220)
      throw new PreambleError(`STARTTLS was answered with ${r.code} ${r.lines[0] ?? ""}`.trim());
    return wire;
  } catch (err) {
    wire.close();
    throw err;
  }
}
