import http2 from 'node:http2';
import { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES } from '../../src/net/http2-windows';
import type { RunningProcessor } from '../../src/processor';
import { start } from '../processor/helpers';

/** What a client connecting to `address` may send: the server's stream window and connection window. */
async function windowsOffered(address: string): Promise<{ stream: number; connection: number }> {
  const session = http2.connect(`http://${address}`);
  try {
    const settings = await new Promise<http2.Settings>((resolve, reject) => {
      session.once('remoteSettings', resolve);
      session.once('error', reject);
    });
    // the connection window arrives as a WINDOW_UPDATE after the settings
    const deadline = Date.now() + 2000;
    while (session.state.remoteWindowSize! < CONNECTION_WINDOW_BYTES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    return { stream: settings.initialWindowSize!, connection: session.state.remoteWindowSize! };
  } finally {
    session.close();
  }
}

describe('gRPC receiver HTTP/2 windows', () => {
  let p: RunningProcessor;
  afterEach(() => p?.close());

  test('offers room for a whole large request per stream and several per connection (not 64 KiB)', async () => {
    p = await start();
    const w = await windowsOffered(p.grpcAddress);
    expect(w.stream).toBe(STREAM_WINDOW_BYTES);
    expect(w.connection).toBe(CONNECTION_WINDOW_BYTES);
    expect(STREAM_WINDOW_BYTES).toBeGreaterThan(65_535);
  });
});
