/**
 * Text both backends can store and return the same way. PostgreSQL refuses NUL in TEXT and JSONB
 * ("invalid byte sequence", "unsupported Unicode escape sequence") and lone UTF-16 surrogates in
 * JSONB (a message cut in the middle of an emoji); SQLite keeps them but returns a lone surrogate
 * as three replacement characters. One bad log line must not fail a whole batch, so both become
 * U+FFFD before any write.
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD_ALL = new RegExp(BAD.source, 'g');

export function cleanText(s: string): string {
  return BAD.test(s) ? s.replace(BAD_ALL, '\ufffd') : s;
}

/** A JSON-bound value with every string (keys too) cleaned; `toJSON` is applied first as JSON.stringify would. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return cleanJson(withJson.toJSON());
  if (Array.isArray(value)) return value.map(cleanJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanJson(v);
  return out;
}
