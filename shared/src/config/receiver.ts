import { Type } from '@sinclair/typebox';

/** Where and how the processor accepts OTLP logs (the upstream Collector's `otlp` exporter points here). */
export const ReceiverConfig = Type.Object(
  {
    grpc: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Serve OTLP/gRPC (LogsService/Export).' }),
        endpoint: Type.String({
          default: '0.0.0.0:4317',
          description: 'host:port for OTLP/gRPC; port 0 picks a free port.',
        }),
        maxConcurrentStreams: Type.Integer({
          default: 4,
          minimum: 1,
          description:
            'Requests one gRPC connection may send at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); the sender holds further ones until one is answered. Bounds how many large requests of one connection arrive and are assembled together, which holds the event loop (a Collector sends everything over one connection). Every connection starts with this bound, and returns to it with its first request over 256 KiB.',
        }),
        maxConcurrentSmallStreams: Type.Integer({
          default: 16,
          minimum: 1,
          description:
            'Requests one gRPC connection may send at once after its last 16 requests were each at most 256 KiB (decoded in one go, little loop time each): with only maxConcurrentStreams in flight the loop would sit idle through their round trips to the downstream and back to the sender (a Collector exporter sends from 10 consumers). At or below maxConcurrentStreams: off.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    http: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Serve OTLP/HTTP (POST /v1/logs, protobuf or JSON).' }),
        endpoint: Type.String({
          default: '0.0.0.0:4318',
          description: 'host:port for OTLP/HTTP (POST /v1/logs); port 0 picks a free port.',
        }),
        headersTimeoutS: Type.Number({
          default: 10,
          exclusiveMinimum: 0,
          description: 'Seconds a client may take to send the request headers; slower: the connection is closed.',
        }),
        requestTimeoutS: Type.Number({
          default: 60,
          exclusiveMinimum: 0,
          description: 'Seconds a client may take to send a whole request (headers and body); slower: closed.',
        }),
        idleTimeoutS: Type.Number({
          default: 65,
          exclusiveMinimum: 0,
          description:
            'Seconds a connection may sit idle (keep-alive between requests, or no byte while sending a body) before it is closed.',
        }),
        minBodyBytesPerS: Type.Integer({
          default: 4096,
          minimum: 0,
          description:
            'Slowest average body upload accepted, checked after the first 5 s of a body; slower: the connection is closed and its admission slot freed (0 = off).',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    maxRecvMsgSizeMiB: Type.Number({
      default: 4,
      exclusiveMinimum: 0,
      description:
        'Largest request accepted, after decompression (the Collector receiver default is 4 MiB). Larger: a non-retryable error.',
    }),
    maxConcurrentRequests: Type.Integer({
      default: 64,
      minimum: 1,
      description: 'Requests processed at once; more are answered with a retryable error (gRPC UNAVAILABLE, HTTP 429).',
    }),
    maxRequestsPerClient: Type.Integer({
      default: 16,
      minimum: 1,
      description:
        'Requests one client address (IP) may have in process at once, over both protocols; more get the retryable answer. Keeps one sender from holding every slot.',
    }),
    maxReceivingShare: Type.Number({
      default: 0.5,
      exclusiveMinimum: 0,
      maximum: 1,
      description:
        'Share of maxConcurrentRequests that HTTP requests still receiving their body may hold: slow uploads cannot take the slots complete requests (gRPC, fast HTTP) need.',
    }),
    maxInflightMiB: Type.Number({
      default: 256,
      exclusiveMinimum: 0,
      description: 'Bound on request bytes held in memory; over it new requests get a retryable error.',
    }),
    maxInflightDecodedMiB: Type.Number({
      default: 0,
      minimum: 0,
      description:
        'Bound on decoded requests held in memory (estimated heap bytes: about 1 KiB a record plus twice the wire bytes); over it new requests get a retryable error and nothing of them is forwarded. 0: an eighth of the heap limit (ANOMALOG_MAX_HEAP_MB under npm start).',
    }),
    maxValueDepth: Type.Integer({
      default: 32,
      minimum: 1,
      maximum: 1000,
      description:
        'Deepest nesting of attribute/body values (arrays and maps inside values); deeper: a non-retryable error.',
    }),
    retryAfterSeconds: Type.Integer({
      default: 1,
      minimum: 0,
      description: 'Retry-After sent with HTTP 429/503 answers.',
    }),
  },
  { default: {}, additionalProperties: false },
);
