import { HttpError } from './errors';

/** "2026-11-24T10:00:00Z" or epoch milliseconds ("1795000000000") → ISO string; anything else is a 400. */
export function toIsoTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new HttpError(400, `querystring/${field} must be an ISO 8601 time or epoch milliseconds, got "${value}"`);
  }
  return new Date(ms).toISOString();
}
