/**
 * A benchmark request body read as it arrives, chunk by chunk, so that a large upload never sits in
 * the processor's heap or holds its event loop: past `SPOOL_BYTES` the body goes to a temporary file
 * that the benchmark worker parses, and what the API checks and answers with is a light copy of the
 * request, built while the bytes stream past, in which the values of `upload.log` and `upload.labels`
 * are replaced by stand-ins ("x" for content, "" for none or only whitespace). A smaller body is
 * parsed whole, as any JSON body.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { HttpError } from '../errors';
import { parseJson } from '../json-body';

/** Bodies up to this size are parsed whole in memory. */
export const SPOOL_BYTES = 1024 * 1024;

/** The rest of the request (every field but the two elided strings) may not pass this. */
const MAX_LIGHT_BYTES = 256 * 1024;

/** Where a spooled body waits, by the light request parsed from it. */
const spooled = new WeakMap<object, string>();

/** The file holding the whole body of a request parsed from a spooled body, if it was spooled. */
export function spoolFileOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? spooled.get(body) : undefined;
}

export function removeSpoolFile(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}

let spoolDir: string | undefined;

/** Reads a request body; resolves with the parsed request (the light one for a spooled body). */
export function readBenchmarkBody(payload: Readable, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const light = new LightJson();
    const held: Buffer[] = [];
    let total = 0;
    let file: string | undefined;
    let out: WriteStream | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      payload.unpipe?.();
      payload.resume();
      out?.destroy();
      removeSpoolFile(file);
      reject(err);
    };
    payload.on('data', (chunk: Buffer) => {
      if (failed) return;
      total += chunk.length;
      if (total > limitBytes) return fail(new HttpError(413, `request body larger than ${limitBytes} bytes`));
      light.push(chunk);
      if (light.size > MAX_LIGHT_BYTES)
        return fail(new HttpError(413, 'request fields besides upload.log and upload.labels are too large'));
      if (!out && total <= SPOOL_BYTES) {
        held.push(chunk);
        return;
      }
      if (!out) {
        spoolDir ??= mkdtempSync(join(tmpdir(), 'anomalog-uploads-'));
        file = join(spoolDir, `${randomUUID()}.json`);
        out = createWriteStream(file);
        out.on('error', (err) => fail(err));
        for (const h of held.splice(0)) out.write(h);
      }
      // Backpressure: the client waits while the disk catches up.
      if (!out.write(chunk)) {
        payload.pause();
        out.once('drain', () => payload.resume());
      }
    });
    payload.on('error', (err) => fail(err));
    payload.on('aborted', () => fail(new HttpError(400, 'request body aborted')));
    payload.on('end', () => {
      if (failed) return;
      if (!out) {
        try {
          resolve(parseJson(Buffer.concat(held).toString('utf8')));
        } catch (err) {
          fail(err as Error);
        }
        return;
      }
      out.end(() => {
        if (failed) return;
        try {
          const request = parseJson(light.text());
          if (typeof request !== 'object' || request === null) throw new HttpError(400, 'body is not a JSON object');
          spooled.set(request, file!);
          resolve(request);
        } catch (err) {
          fail(err as Error);
        }
      });
    });
  });
}

/** Paths whose string values are elided from the light copy. */
const ELIDED = new Set(['upload\u0000log', 'upload\u0000labels']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Copies JSON bytes as they stream past, except the contents of the strings at ELIDED paths, which
 * become "x" (some content that is not whitespace) or "". It follows the structure only as far as
 * paths need (containers, keys, strings); the copy is checked by JSON.parse, the whole body by the
 * worker.
 */
class LightJson {
  private readonly parts: Buffer[] = [];
  size = 0;
  /** Byte range (contents, without the quotes) of each elided string, by its key ('log', 'labels'). */
  readonly ranges = new Map<string, { start: number; end: number }>();
  /** Bytes pushed before the current chunk. */
  private offset = 0;
  /** Per open container: '{' or '['; for an object, the key of the value being read. */
  private readonly stack: { kind: number; key: string }[] = [];
  /** Inside a string: whether it is a key, elided, the bytes of a key read so far. */
  private inString = false;
  private escaped = false;
  private stringIsKey = false;
  private elided = false;
  private elidedContent = false;
  private keyBytes: number[] = [];
  /** In an object: whether the next string is a key (after '{' or ','). */
  private expectKey = false;

  push(chunk: Buffer): void {
    let copyFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          if (this.elided && c !== 0x6e && c !== 0x74 && c !== 0x72) this.elidedContent = true;
          if (this.stringIsKey) this.keyBytes.push(c);
          continue;
        }
        if (c === BACKSLASH) {
          this.escaped = true;
          if (this.stringIsKey) this.keyBytes.push(c);
          continue;
        }
        if (c === QUOTE) {
          this.inString = false;
          if (this.elided) {
            const range = this.ranges.get(this.stack[1].key);
            if (range) range.end = this.offset + i;
            this.emit(Buffer.from(this.elidedContent ? 'x"' : '"'));
            copyFrom = i + 1;
            this.elided = false;
          } else if (this.stringIsKey) {
            this.stack[this.stack.length - 1].key = keyText(this.keyBytes);
            this.keyBytes = [];
          }
          continue;
        }
        if (this.elided) {
          if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) this.elidedContent = true;
        } else if (this.stringIsKey) this.keyBytes.push(c);
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.stringIsKey = this.expectKey;
        this.expectKey = false;
        if (!this.stringIsKey && this.atElidedPath()) {
          // Copy up to and with the opening quote; the contents are skipped.
          this.emit(chunk.subarray(copyFrom, i + 1));
          this.ranges.set(this.stack[1].key, { start: this.offset + i + 1, end: this.offset + i + 1 });
          this.elided = true;
          this.elidedContent = false;
        }
        continue;
      }
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        this.stack.push({ kind: c, key: '' });
        this.expectKey = c === 0x7b;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        this.stack.pop();
        this.expectKey = false;
      } else if (c === 0x2c /* , */) {
        this.expectKey = this.stack[this.stack.length - 1]?.kind === 0x7b;
      }
    }
    if (!this.elided) this.emit(chunk.subarray(copyFrom));
    this.offset += chunk.length;
  }

  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }

  private emit(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  /** Whether the value being read sits at an ELIDED path (top-level object, then its keys). */
  private atElidedPath(): boolean {
    if (this.stack.length !== 2 || this.stack[0].kind !== 0x7b || this.stack[1].kind !== 0x7b) return false;
    return ELIDED.has(`${this.stack[0].key}\u0000${this.stack[1].key}`);
  }
}

/** A key's text from its raw bytes (escapes included). */
function keyText(bytes: number[]): string {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch {
    return '';
  }
}

/** Bytes read from a spool file at a time while its elided strings are located. */
const SCAN_CHUNK_BYTES = 1 << 20;

/**
 * The contents of `upload.log` and `upload.labels` of a spooled body, each read from its byte range
 * of the file and decoded alone: the body is never one string, nor parsed into one object graph.
 */
export function readSpooledUpload(file: string): { log: string; labels: string } {
  const fd = openSync(file, 'r');
  try {
    const light = new LightJson();
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) light.push(chunk.subarray(0, n));
    // The light copy is small and checks that the body is JSON at all.
    parseJson(light.text());
    const decode = (key: string): string => {
      const range = light.ranges.get(key);
      if (!range) return '';
      // The raw contents between quotes, decoded as the JSON string they are.
      const raw = Buffer.allocUnsafe(range.end - range.start + 2);
      raw[0] = QUOTE;
      raw[raw.length - 1] = QUOTE;
      readSync(fd, raw, 1, raw.length - 2, range.start);
      return JSON.parse(raw.toString('utf8')) as string;
    };
    return { labels: decode('labels'), log: decode('log') };
  } finally {
    closeSync(fd);
  }
}
