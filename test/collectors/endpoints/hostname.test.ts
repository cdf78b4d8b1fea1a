import { X509Certificate } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { hostnameMismatch } from "../../../src/collectors/endpoints/certificate.js";
import { Pki, tempDir } from "./support.js";

// Every certificate the test PKI issues has CN=localhost; only its subjectAltName varies.
const dir = tempDir("cipherproof-hostname-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pki = new Pki(dir);
const cert = (names: string[]) => new X509Certificate(readFileSync(pki.leaf({ names }).cert));
const matches = (names: string[], host: string) => hostnameMismatch(cert(names), host) === undefined;

describe("hostname matching (RFC 9525)", () => {
  it("matches DNS names of the subjectAltName, case-insensitively", () => {
    expect(matches(["DNS:api.example.test"], "api.example.test")).toBe(true);
    expect(matches(["DNS:API.Example.test"], "api.example.TEST")).toBe(true);
    expect(matches(["DNS:api.example.test"], "www.example.test")).toBe(false);
  });

  it("never uses the Common Name, even when the subjectAltName holds no DNS name", () => {
    expect(matches([], "localhost")).toBe(false);
    // An IP-only or e-mail-only subjectAltName: Node's checkServerIdentity fell back to CN=localhost here.
    expect(matches(["IP:10.9.9.9"], "localhost")).toBe(false);
    expect(matches(["email:ops@example.test"], "localhost")).toBe(false);
    expect(hostnameMismatch(cert(["IP:10.9.9.9"]), "localhost")?.message).toMatch(/Common Name is not used/);
  });

  it("takes a wildcard only as the whole left-most label, covering exactly one label", () => {
    expect(matches(["DNS:*.example.test"], "www.example.test")).toBe(true);
    expect(matches(["DNS:*.example.test"], "a.b.example.test")).toBe(false);
    expect(matches(["DNS:*.example.test"], "example.test")).toBe(false);
    // A partial wildcard ("w*") is refused by Chrome, Go and RFC 9525; Node accepted it.
    expect(matches(["DNS:w*.example.test"], "www.example.test")).toBe(false);
  });

  it("matches an IP address only against IP Address entries", () => {
    expect(matches(["IP:127.0.0.1"], "127.0.0.1")).toBe(true);
    expect(matches(["DNS:127.0.0.1"], "127.0.0.1")).toBe(false);
    expect(matches(["DNS:localhost"], "127.0.0.1")).toBe(false);
  });
});
