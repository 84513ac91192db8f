// duband as a child process for the Node tests (tests/connect, the
// console's browser tests): `duband --dev` on 127.0.0.1 with free ports and
// a data directory of the caller's, stopped with SIGTERM.
//
//   const server = startDuband(path, dataDir, ["--console_dir", dir]);
//   const httpAddress = await server.address;   // "127.0.0.1:PORT"
//   const grpcAddress = await server.grpcAddress;
//   ...
//   const problem = await stopDuband(server);   // null when it exited 0
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

// A check that did not hold: reported by its message alone.
export class Failure extends Error {}

// Starts duband. `address` and `grpcAddress` resolve once its log names
// them; both reject if it exits first or says nothing in time. `log` holds
// every line of its log.
export function startDuband(duband, dataDir, extraArgs = []) {
  const child = spawn(duband, ["--dev", "--listen", "127.0.0.1:0", "--data", dataDir, ...extraArgs], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const log = [];
  // Settles once duband has exited and its log is read to the end, or at
  // once if it could not be started.
  const exited = new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
    child.on("error", (error) => resolve({ error }));
  });
  const waiters = new Map();  // log field → resolve
  const logged = (field) => new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Failure(`no ${field} in duband's log after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS);
    exited.then(({ code, signal, error }) => {
      clearTimeout(timer);
      reject(error ?? new Failure(`duband exited (${signal ?? code}) before serving`));
    });
    waiters.set(field, (value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
  const address = logged("http_address");
  const grpcAddress = logged("address");
  // Reads stderr to its end, so duband never blocks on a full pipe.
  createInterface({ input: child.stderr }).on("line", (line) => {
    log.push(line);
    let entry;
    try { entry = JSON.parse(line); } catch { return; }
    for (const [field, resolve] of waiters) {
      if (typeof entry[field] === "string") resolve(entry[field]);
    }
  });
  address.catch(() => {});  // reported by whoever awaits it
  grpcAddress.catch(() => {});
  return { child, log, exited, address, grpcAddress };
}

// SIGTERM, then how duband ended: null when it exited 0, else what was
// wrong. SIGKILL if it does not stop in time.
export async function stopDuband(server) {
  const running = server.child.exitCode === null && server.child.signalCode === null;
  if (running) server.child.kill("SIGTERM");
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
  const status = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  if (status === null) {
    server.child.kill("SIGKILL");
    await server.exited;
    return `did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`;
  }
  const how = status.signal ?? status.code;
  if (status.error) return `could not be started: ${status.error.message}`;
  if (!running) return `had already exited (${how})`;
  return how === 0 ? null : `exited with ${how} after SIGTERM`;
}
