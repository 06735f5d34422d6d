/**
 * Chooses the TensorFlow.js runtime once per process: tfjs-node (native libtensorflow) when it is
 * installed and loads, else tfjs with the wasm backend (its .wasm binaries ship inside the npm
 * package, so they are loaded from node_modules by file path — no network), else the pure-JS cpu
 * backend. Logs which one runs, once.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<TfBackendName> | undefined;

function tryNative(): boolean {
  try {
    // Optional dependency: absent or broken (no libtensorflow) on most machines; loaded lazily.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
    return tf.getBackend() === 'tensorflow' || tf.engine().registryFactory['tensorflow'] !== undefined;
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(distDir + path.sep);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function choose(preferred?: TfBackendName): Promise<TfBackendName> {
  if (preferred === 'cpu') {
    await tf.setBackend('cpu');
    return 'cpu';
  }
  if (preferred !== 'wasm' && tryNative() && (await tf.setBackend('tensorflow'))) return 'tensorflow';
  if (await tryWasm()) return 'wasm';
  await tf.setBackend('cpu');
  return 'cpu';
}

/** Initialises the backend (once) and returns its name. */
export function initTf(log: (msg: string) => void = (m) => console.info(m)): Promise<TfBackendName> {
  if (!chosen) {
    chosen = choose(process.env.ANOMALOG_TF_BACKEND as TfBackendName | undefined).then((name) => {
      log(`anomalog: TensorFlow.js backend "${name}"`);
      return name;
    });
  }
  return chosen;
}

/** Switches backend explicitly (tests comparing backends). */
export async function useBackend(name: TfBackendName): Promise<boolean> {
  if (name === 'wasm') return tryWasm();
  if (name === 'tensorflow') return tryNative() && tf.setBackend('tensorflow');
  return tf.setBackend('cpu');
}

export { tf };
