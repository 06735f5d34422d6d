import { DecodeError } from '../otlp/errors';

/** The answer to a request over receiver.maxRecvMsgSizeMiB (after decompression). */
export function oversize(size: number, limit: number): DecodeError {
  return new DecodeError(
    `request of ${size} bytes exceeds the limit of ${limit} bytes (receiver.maxRecvMsgSizeMiB)`,
    'oversize',
  );
}
