/**
 * Benchmark sink: an OTLP/gRPC LogsService that accepts everything and counts requests. Runs in
 * its own process; prints its address to the parent over IPC. It stands in for a Collector, whose Go
 * gRPC grows its HTTP/2 windows by bandwidth-delay probing, so it offers the processor's large
 * windows (http2-windows.ts) rather than grpc-js's 64 KiB: with those, the processor's exports waited
 * on the sink's event loop every 64 KiB (export p99 80-114 ms against 15-22 ms).
 */
import * as grpc from '@grpc/grpc-js';
import { bindWithWindows } from '../../collector-processor/src';

const PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const id = (b: Buffer) => b;
const EMPTY = Buffer.alloc(0);
let requests = 0;
let bytes = 0;

const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
server.addService(
  {
    Export: {
      path: PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: id,
      requestDeserialize: id,
      responseSerialize: id,
      responseDeserialize: id,
    },
  },
  {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      requests++;
      bytes += call.request.length;
      cb(null, EMPTY);
    },
  },
);
void bindWithWindows(server, '127.0.0.1:0', grpc.ServerCredentials.createInsecure()).then(({ port, windowsRaised }) => {
  if (!windowsRaised) throw new Error('sink: cannot raise the HTTP/2 windows');
  process.send?.({ type: 'ready', address: `127.0.0.1:${port}` });
});
process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', requests, bytes });
  if (m.type === 'usage') {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'usage', cpuMicros: cpu.user + cpu.system });
  }
  if (m.type === 'stop') server.tryShutdown(() => process.exit(0));
});
