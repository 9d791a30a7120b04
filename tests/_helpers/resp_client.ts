/**
 * A minimal RESP client for tests: sends commands as byte strings and parses
 * replies into tagged values, keeping the reply type (simple string vs bulk,
 * RESP3 map vs array, ...) so tests can compare replies exactly, including
 * against redis-server.
 *
 * @module
 */

import { decodeLatin1, encodeLatin1Into } from "../../core/bytes.ts";

/** A parsed reply with its RESP type. */
export type Reply =
  | { type: "simple"; value: string }
  | { type: "error"; value: string }
  | { type: "integer"; value: bigint }
  | { type: "bulk"; value: string }
  | { type: "null" }
  | { type: "nullarray" }
  | { type: "array"; value: Reply[] }
  | { type: "map"; value: [Reply, Reply][] }
  | { type: "set"; value: Reply[] }
  | { type: "push"; value: Reply[] }
  | { type: "double"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "verbatim"; format: string; value: string }
  | { type: "bignum"; value: string }
  | { type: "attribute"; value: [Reply, Reply][]; reply: Reply };

/** Converts a reply into plain JavaScript values (errors become `Error`s with the message). */
export function plain(r: Reply): unknown {
  switch (r.type) {
    case "simple":
    case "bulk":
    case "double":
    case "bignum":
    case "verbatim":
      return r.value;
    case "error":
      return new Error(r.value);
    case "integer":
      return Number(r.value);
    case "null":
    case "nullarray":
      return null;
    case "boolean":
      return r.value;
    case "array":
    case "set":
    case "push":
      return r.value.map(plain);
    case "map":
      return r.value.map(([k, v]) => [plain(k), plain(v)]);
    case "attribute":
      return plain(r.reply);
  }
}

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(args: readonly (string | number)[]): Uint8Array {
  const parts = args.map(String);
  let size = 16;
  for (const p of parts) size += p.length + 16;
  const out = new Uint8Array(size);
  let pos = encodeLatin1Into(`*${parts.length}\r\n`, out, 0);
  for (const p of parts) {
    pos = encodeLatin1Into(`$${p.length}\r\n`, out, pos);
    pos = encodeLatin1Into(p, out, pos);
    pos = encodeLatin1Into("\r\n", out, pos);
  }
  return out.subarray(0, pos);
}

/** A connection speaking RESP to a server on 127.0.0.1. */
export class RespClient {
  readonly #conn: Deno.Conn;
  #buf = new Uint8Array(0);
  #closed = false;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Connects to `port` on 127.0.0.1. */
  static async connect(port: number): Promise<RespClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new RespClient(conn);
  }

  /** Sends one command and reads its reply. */
  async send(...args: (string | number)[]): Promise<Reply> {
    await this.write(encodeCommand(args));
    return await this.read();
  }

  /** Sends one command and returns its reply as plain values; throws on an error reply. */
  async call(...args: (string | number)[]): Promise<unknown> {
    const r = await this.send(...args);
    if (r.type === "error") throw new Error(r.value);
    return plain(r);
  }

  /** Sends several commands in one write and reads all replies. */
  async pipeline(commands: (string | number)[][]): Promise<Reply[]> {
    const parts = commands.map(encodeCommand);
    const total = parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    await this.write(bytes);
    const replies: Reply[] = [];
    for (let i = 0; i < commands.length; i++) replies.push(await this.read());
    return replies;
  }

  /** Writes raw bytes (or a byte string). */
  async write(data: Uint8Array | string): Promise<void> {
    let bytes: Uint8Array;
    if (typeof data === "string") {
      bytes = new Uint8Array(data.length);
      encodeLatin1Into(data, bytes, 0);
    } else {
      bytes = data;
    }
    let off = 0;
    while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
  }

  /** Reads one reply. Throws when the connection closes first. */
  async read(): Promise<Reply> {
    while (true) {
      const parsed = parseReply(this.#buf, 0);
      if (parsed !== null) {
        this.#buf = this.#buf.slice(parsed.end);
        return parsed.reply;
      }
      await this.#fill();
    }
  }

  /** Resolves true when the server closed the connection (reads until EOF). */
  async closedByPeer(): Promise<boolean> {
    try {
      while (true) await this.#fill();
    } catch {
      return true;
    }
  }

  async #fill(): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    const n = await this.#conn.read(chunk);
    if (n === null) throw new Error("connection closed by the server");
    const next = new Uint8Array(this.#buf.length + n);
    next.set(this.#buf);
    next.set(chunk.subarray(0, n), this.#buf.length);
    this.#buf = next;
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Parses one reply at `pos`; null when incomplete. */
export function parseReply(buf: Uint8Array, pos: number): { reply: Reply; end: number } | null {
  const lineEnd = findCRLF(buf, pos);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = decodeLatin1(buf, pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { reply: { type: "simple", value: line }, end: next };
    case "-":
      return { reply: { type: "error", value: line }, end: next };
    case ":":
      return { reply: { type: "integer", value: BigInt(line) }, end: next };
    case "_":
      return { reply: { type: "null" }, end: next };
    case ",":
      return { reply: { type: "double", value: line }, end: next };
    case "#":
      return { reply: { type: "boolean", value: line === "t" }, end: next };
    case "(":
      return { reply: { type: "bignum", value: line }, end: next };
    case "$":
    case "=": {
      const len = Number(line);
      if (len < 0) return { reply: { type: "null" }, end: next };
      if (buf.length < next + len + 2) return null;
      const value = decodeLatin1(buf, next, next + len);
      const end = next + len + 2;
      if (type === "=") {
        return {
          reply: { type: "verbatim", format: value.slice(0, 3), value: value.slice(4) },
          end,
        };
      }
      return { reply: { type: "bulk", value }, end };
    }
    case "*":
    case "~":
    case ">": {
      const n = Number(line);
      if (n < 0) return { reply: { type: "nullarray" }, end: next };
      const items: Reply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (r === null) return null;
        items.push(r.reply);
        p = r.end;
      }
      const kind = type === "*" ? "array" : type === "~" ? "set" : "push";
      return { reply: { type: kind, value: items }, end: p };
    }
    case "%":
    case "|": {
      const n = Number(line);
      const pairs: [Reply, Reply][] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const k = parseReply(buf, p);
        if (k === null) return null;
        const v = parseReply(buf, k.end);
        if (v === null) return null;
        pairs.push([k.reply, v.reply]);
        p = v.end;
      }
      if (type === "%") return { reply: { type: "map", value: pairs }, end: p };
      const inner = parseReply(buf, p);
      if (inner === null) return null;
      return { reply: { type: "attribute", value: pairs, reply: inner.reply }, end: inner.end };
    }
    default:
      throw new Error(`Unexpected reply type byte ${JSON.stringify(type)} at offset ${pos}`);
  }
}

function findCRLF(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10) return i;
  }
  return -1;
}
