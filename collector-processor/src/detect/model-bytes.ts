/**
 * Self-contained model bytes shared by the neural detectors: a little-endian uint32 header length,
 * a UTF-8 JSON header (format tag, options, vocabulary/normalisation, tensor shapes), then the
 * float32 tensors back to back. Compact and exact (no decimal round trip); every check on load
 * throws an Error that names the detector and what is broken.
 */
export interface Tensor32 {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type ModelHeader = Record<string, unknown> & { readonly format: string };

export function encodeModel(header: ModelHeader, tensors: readonly Tensor32[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ...header, tensors: tensors.map((t) => t.shape) }));
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  const floats = tensors.reduce((n, t) => n + t.data.length, 0);
  const out = new Uint8Array(4 + json.length + pad + floats * 4);
  new DataView(out.buffer).setUint32(0, json.length + pad, true);
  out.set(json, 4);
  out.fill(0x20, 4 + json.length, 4 + json.length + pad);
  const body = new Float32Array(out.buffer, 4 + json.length + pad, floats);
  let at = 0;
  for (const t of tensors) {
    body.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

export function decodeModel(
  bytes: Uint8Array,
  format: string,
  who: string,
): { header: ModelHeader; weights: Tensor32[] } {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) throw new Error(`${who}: model file is empty or truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(0, true);
  if (headerLen > bytes.length - 4) throw new Error(`${who}: model file is not an anomalog model (bad header length)`);
  let header: ModelHeader & { tensors?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLen)));
  } catch (e) {
    throw new Error(`${who}: model file header is not valid JSON (${(e as Error).message})`);
  }
  if (header?.format !== format) throw new Error(`${who}: not an ${format} model (found ${String(header?.format)})`);
  const shapes = header.tensors;
  if (!Array.isArray(shapes) || !shapes.every((s) => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d > 0)))
    throw new Error(`${who}: model file has broken tensor shapes`);
  const sizes = (shapes as number[][]).map((s) => s.reduce((a, b) => a * b, 1));
  const floats = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length - 4 - headerLen !== floats * 4)
    throw new Error(
      `${who}: model file is truncated (${bytes.length - 4 - headerLen} weight bytes, expected ${floats * 4})`,
    );
  // Copy so the weights are 4-byte aligned whatever the caller's buffer offset.
  // Uint8Array's slice (a copy): a Node Buffer's own slice is a view whose .buffer is the whole pool.
  const body = new Float32Array(Uint8Array.prototype.slice.call(bytes, 4 + headerLen).buffer);
  let at = 0;
  const weights = (shapes as number[][]).map((shape, i) => {
    const data = body.slice(at, at + sizes[i]);
    at += sizes[i];
    return { shape, data };
  });
  return { header, weights };
}

/** A stored float32 tensor checked on load: present, of the expected shape, every value finite. */
export function readF32(t: Tensor32 | undefined, who: string, what: string, shape: readonly number[]): Float32Array {
  if (!t) throw new Error(`${who}: model file is missing the ${what} tensor`);
  if (t.shape.join('x') !== shape.join('x'))
    throw new Error(`${who}: model file ${what} has shape ${t.shape.join('x')}, expected ${shape.join('x')}`);
  for (let i = 0; i < t.data.length; i++)
    if (!Number.isFinite(t.data[i])) throw new Error(`${who}: model file has a broken ${what} value at ${i}`);
  return t.data;
}
