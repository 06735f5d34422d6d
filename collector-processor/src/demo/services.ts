/**
 * The demo's services, of the project's own making: each has templates and a session structure (the
 * normal order of its messages), so sequence detectors have something to learn and something to miss.
 */
export interface DemoService {
  name: string;
  /** Attribute holding the session id (block id, request id, job id). */
  sessionKey: string;
  /** Normal lifecycle of one session: message makers in order. */
  lifecycle: Array<(s: SessionVars) => string>;
  /** An error this service never logs in normal operation. */
  unseenError: (s: SessionVars) => string;
}

export interface SessionVars {
  id: string;
  n: number;
  host: string;
}

const storage: DemoService = {
  name: 'storage',
  sessionKey: 'block.id',
  lifecycle: [
    (s) => `Receiving block ${s.id} src: /10.0.${s.n % 250}.12:50010 dest: /10.0.${s.n % 250}.12:50010`,
    (s) => `BLOCK* allocateBlock: /data/part-${s.n % 97}.bin ${s.id}`,
    (s) => `PacketResponder 1 for block ${s.id} terminating`,
    (s) => `Received block ${s.id} of size ${67108864 - (s.n % 1000)} from /10.0.${s.n % 250}.12`,
    (s) => `BLOCK* addStoredBlock: blockMap updated: ${s.host}:50010 is added to ${s.id} size 67108864`,
  ],
  unseenError: (s) => `Checksum mismatch on block ${s.id} at offset ${s.n * 512}: replica on ${s.host} corrupt`,
};

const web: DemoService = {
  name: 'web',
  sessionKey: 'http.request.id',
  lifecycle: [
    (s) => `GET /api/orders/${s.n} accepted from 192.168.1.${s.n % 200}`,
    (s) => `auth ok for user u${s.n % 53} session ${s.id}`,
    (s) => `query orders took ${5 + (s.n % 40)} ms rows=${s.n % 17}`,
    (s) => `response 200 in ${12 + (s.n % 60)} ms bytes=${1000 + (s.n % 900)}`,
  ],
  unseenError: (s) => `upstream connect error: payment-gateway refused connection for request ${s.id}`,
};

const worker: DemoService = {
  name: 'worker',
  sessionKey: 'job.id',
  lifecycle: [
    (s) => `job ${s.id} dequeued from queue emails attempt=1`,
    (s) => `rendering template welcome for job ${s.id}`,
    (s) => `sent email for job ${s.id} in ${20 + (s.n % 80)} ms`,
    (s) => `job ${s.id} acked`,
  ],
  unseenError: (s) => `job ${s.id} crashed: heap out of memory after ${s.n % 9} retries`,
};

export const DEMO_SERVICES: readonly DemoService[] = [storage, web, worker];

export function serviceByName(name: string): DemoService {
  const found = DEMO_SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown demo service "${name}" (known: ${DEMO_SERVICES.map((s) => s.name).join(', ')})`);
  return found;
}
