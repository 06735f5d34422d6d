import type { AnyValue, KeyValue, ResourceLogs } from '../otlp/types';

const UNKNOWN_SERVICE = 'unknown_service';

export function serviceName(resource: ResourceLogs): string {
  const attr = resource.resource?.attributes.find((kv) => kv.key === 'service.name');
  const v = attr?.value.stringValue;
  return v && v.length > 0 ? v : UNKNOWN_SERVICE;
}

function fieldOf(values: KeyValue[], fields: readonly string[]): AnyValue | undefined {
  for (const f of fields) {
    const kv = values.find((x) => x.key === f);
    if (kv) return kv.value;
  }
  return undefined;
}

/** Scalar AnyValue as text; '' for bytes (binary: unparsed) and for nested values with no message field. */
function scalarText(v: AnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return v.intValue.toString();
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  return '';
}

/** JSON objects inside a string body: take the first configured message field. */
function fromJsonString(s: string, fields: readonly string[]): string {
  const c0 = s.charCodeAt(0);
  // a printable ASCII char other than `{` first (most log lines): not JSON, known without the regex
  if (c0 > 32 && c0 < 127 && c0 !== 123) return s;
  const first = c0 === 123 ? 0 : s.search(/\S/);
  if (first < 0 || s.charCodeAt(first) !== 123 || s.length > 1 << 20) return s;
  try {
    const obj = JSON.parse(s) as unknown;
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      for (const f of fields) {
        const v = (obj as Record<string, unknown>)[f];
        if (typeof v === 'string') return v;
      }
    }
  } catch {
    // not JSON after all: mine the text as is
  }
  return s;
}

/** The text to mine from a record body: string, kvlist (message-like field) or JSON-in-a-string. */
export function messageOf(body: AnyValue | undefined, fields: readonly string[]): string {
  if (!body) return '';
  if (body.kvlistValue) {
    const v = fieldOf(body.kvlistValue.values, fields);
    return v ? messageOf(v, fields) : '';
  }
  if (body.stringValue !== undefined) return fromJsonString(body.stringValue, fields);
  return scalarText(body);
}
