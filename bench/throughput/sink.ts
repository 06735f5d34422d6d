/**
 * Benchmark sink: an OTLP/gRPC LogsService that accepts everything and counts requests. Runs in
 * its own process; prints its address to the parent over IPC.
 */
import * as grpc from '@grpc/grpc-js';

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
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.send?.({ type: 'ready', address: `127.0.0.1:${port}` });
});
process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', requests, bytes });
  if (m.type === 'stop') server.tryShutdown(() => process.exit(0));
});
