import { validateConfig } from '../src';

describe('validateConfig', () => {
  it('fills every default from an empty document', () => {
    const result = validateConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.receiver.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(result.value.receiver.maxRecvMsgSizeMiB).toBe(4);
    expect(result.value.exporter.endpoint).toBeUndefined();
  });

  it('names the path and reason of a bad key', () => {
    const result = validateConfig({ receiver: { maxConcurrentRequests: 0 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0].path).toBe('/receiver/maxConcurrentRequests');
  });

  it('rejects unknown top-level keys', () => {
    const result = validateConfig({ recevier: {} });
    expect(result.ok).toBe(false);
  });
});
