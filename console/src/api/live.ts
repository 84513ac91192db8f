// Live updates: one WatchEvents stream per tab, shared by every screen that
// shows tickets, open while at least one such screen is.
//
// A stream starts `from_now`; its first message says it is in place, and
// every screen reads its state again. After a dropped connection it
// resumes after the last cursor it saw, so no event in between is missed.
// When the last screen goes, the stream ends and forgets its cursor: the
// next screen reads its state on mount and a new stream starts from now.
// A screen registers with useLive(reload): reload runs on mount, when a
// stream starts, and after each event it accepts, never two at once.
import { Code, ConnectError } from "@connectrpc/connect";
import { onMounted, onUnmounted, reactive } from "vue";
import type { TicketEvent } from "../gen/duban/v1/ticket_pb";
import { api } from "./client";
import { session } from "./session";

type Listener = (event: TicketEvent | null) => void;

// `connected`: the server has answered the stream's headers. `screens`: how
// many screens follow it (none: no stream).
export const liveState = reactive({ connected: false, screens: 0 });

const listeners = new Set<Listener>();
let cursor: bigint | null = null;
let running = false;
let abort: AbortController | null = null;

function emit(event: TicketEvent | null) {
  for (const listener of [...listeners]) listener(event);
}

async function follow() {
  running = true;
  let backoffMs = 500;
  while (listeners.size && session.token) {
    abort = new AbortController();
    try {
      const request = cursor === null ? { fromNow: true } : { afterCursor: cursor };
      const options = { signal: abort.signal, onHeader: () => { liveState.connected = true; } };
      for await (const item of api.events.watchEvents(request, options)) {
        backoffMs = 500;
        cursor = item.cursor;
        emit(item.event ?? null);
      }
    } catch (error) {
      // Cancelled by the last screen leaving; a new one may have come
      // since, and then the stream goes on from the same cursor.
      if (ConnectError.from(error).code === Code.Canceled) continue;
    }
    liveState.connected = false;
    if (!listeners.size || !session.token) break;
    await new Promise((resolve) => setTimeout(resolve, backoffMs));
    backoffMs = Math.min(backoffMs * 2, 10_000);
  }
  liveState.connected = false;
  cursor = null;
  running = false;
}

// Ends the stream (logout); the next screen starts a new one from now.
export function stopLive() {
  abort?.abort();
  cursor = null;
}

// Runs `reload` now and whenever something may have changed; the calls
// never overlap, and changes during one lead to exactly one more. `reload`
// shows its own failures; one that throws is reported to the console and
// the next change tries again.
export function useLive(reload: () => Promise<void>, accepts: (event: TicketEvent) => boolean = () => true) {
  let busy = false;
  let again = false;
  const run = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        try {
          await reload();
        } catch (error) {
          console.error(error);
        }
      } while (again);
    } finally {
      busy = false;
    }
  };
  const listener: Listener = (event) => {
    if (event === null || accepts(event)) void run();
  };
  onMounted(() => {
    listeners.add(listener);
    liveState.screens = listeners.size;
    void run();
    if (!running) void follow();
  });
  onUnmounted(() => {
    listeners.delete(listener);
    liveState.screens = listeners.size;
    if (!listeners.size) abort?.abort();
  });
  return run;
}
