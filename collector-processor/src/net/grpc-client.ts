import * as grpc from '@grpc/grpc-js';
import { tlsMaterial, type ExporterSettings } from './target';

/** host:port of a gRPC endpoint given with or without a scheme. */
export function grpcAddress(cfg: ExporterSettings): string {
  return (cfg.endpoint ?? '').replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** Channel credentials from the exporter's TLS settings (plaintext when tls.insecure). */
export function grpcCredentials(cfg: ExporterSettings): grpc.ChannelCredentials {
  const tls = tlsMaterial(cfg);
  return tls
    ? grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, {
        rejectUnauthorized: tls.rejectUnauthorized,
        ...(tls.rejectUnauthorized ? {} : { checkServerIdentity: () => undefined }),
      })
    : grpc.credentials.createInsecure();
}

/** The configured headers as gRPC metadata (keys lower-cased as gRPC requires). */
export function grpcMetadata(cfg: ExporterSettings): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(cfg.headers)) metadata.set(k.toLowerCase(), v);
  return metadata;
}
