import { readFileSync } from 'node:fs';
import type { AnomalogConfig } from '@anomalog/shared';

export type ExporterSettings = AnomalogConfig['exporter'];

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/** TLS is used when tls.insecure is false or the endpoint says https://. Files are read once, at start. */
export function tlsMaterial(cfg: ExporterSettings): TlsMaterial | undefined {
  const https = /^https:\/\//i.test(cfg.endpoint ?? '');
  if (cfg.tls.insecure && !https) return undefined;
  const read = (key: string, file?: string): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`exporter.tls.${key}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return {
    ca: read('caFile', cfg.tls.caFile),
    cert: read('certFile', cfg.tls.certFile),
    key: read('keyFile', cfg.tls.keyFile),
    rejectUnauthorized: !cfg.tls.insecureSkipVerify,
  };
}
