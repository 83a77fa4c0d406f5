/*
 * The RequestStore calls one HTTP request makes, recorded in-process for the
 * store-only replay of http.bench.ts. Importing this module wraps every
 * RequestStore method: each notes when it ran, and while a recording is on,
 * the outer calls (not those one store method makes through another) are
 * kept with their arguments.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseRequestStore } from '../src/database/RequestStore';

export interface StoreCall {
  method: string;
  args: unknown[];
}
let recording: StoreCall[] | undefined;
let lastStoreCall = 0;
const insideStore = new AsyncLocalStorage<boolean>();
/** `original`, noting when it runs and, while recording, its outer calls. */
function recorded(method: string, original: Function) {
  return function recordedCall(this: unknown, ...args: unknown[]) {
    lastStoreCall = Date.now();
    if (!recording || insideStore.getStore()) {
      return original.apply(this, args);
    }
    recording.push({ method, args });
    return insideStore.run(true, () => original.apply(this, args));
  };
}
const storeProto = DatabaseRequestStore.prototype as unknown as Record<
  string,
  unknown
>;
for (const method of Object.getOwnPropertyNames(storeProto)) {
  const original = storeProto[method];
  if (method !== 'constructor' && typeof original === 'function') {
    storeProto[method] = recorded(method, original);
  }
}

/** Starts recording the store calls; `stop` ends it and returns them. */
export function recordStoreCalls(): { stop(): StoreCall[] } {
  const calls: StoreCall[] = [];
  recording = calls;
  return {
    stop() {
      recording = undefined;
      return calls;
    },
  };
}

/** When a store method last ran (epoch ms). */
export function lastStoreCallAt(): number {
  return lastStoreCall;
}
