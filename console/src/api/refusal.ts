// What the server said when it refused a call, split the way a form shows
// it: a message per field it names (google.rpc.BadRequest), and the rest.
import { Code, ConnectError } from "@connectrpc/connect";
import { reactive } from "vue";
import { BadRequest } from "../gen/google/rpc/error_details_pb";

export interface Refusal {
  code: Code;
  // The server's message, when it names no field.
  message: string;
  // Field path as the request names it (`ticket.title`) → the server's words.
  fields: Record<string, string>;
}

// The server's words for a refusal, fields included, as one line: for a
// page that failed to load rather than a form.
// A refusal of the role gets a Chinese lead-in before the server's words.
export function refusalText(error: unknown): string {
  const refusal = readRefusal(error);
  const words = refusal.message ||
    Object.entries(refusal.fields).map(([f, text]) => `${f}: ${text}`).join("；");
  return refusal.code === Code.PermissionDenied ? `无权查看或操作：${words}` : words;
}

export function readRefusal(error: unknown): Refusal {
  const connectError = ConnectError.from(error);
  const fields: Record<string, string> = {};
  for (const detail of connectError.findDetails(BadRequest)) {
    for (const violation of detail.fieldViolations) {
      fields[violation.field] = violation.description;
    }
  }
  const message = Object.keys(fields).length ? "" : connectError.rawMessage;
  return { code: connectError.code, message, fields };
}

// A form's call to the server: `run` clears the last refusal, makes the
// call, and on failure keeps what the server said for the form to show.
export function useSubmit() {
  const state = reactive({ busy: false, message: "", code: Code.Unknown as Code, fields: {} as Record<string, string> });
  // Forgets the last refusal (a form opened afresh).
  function reset() {
    state.message = "";
    state.fields = {};
    state.code = Code.Unknown;
  }
  async function run<T>(call: () => Promise<T>): Promise<T | undefined> {
    state.busy = true;
    reset();
    try {
      return await call();
    } catch (error) {
      const refusal = readRefusal(error);
      state.message = refusal.message;
      state.fields = refusal.fields;
      state.code = refusal.code;
      return undefined;
    } finally {
      state.busy = false;
    }
  }
  return { state, run, reset };
}

// The server's words about a form field: about the field itself, the
// fields inside it (`exclude` gathers `exclude[2]`, `due_in` gathers
// `due_in.hours`), or the field it sits in (`rectification_due_in` for
// `rectification_due_in.working_days`).
export function fieldError(fields: Record<string, string>, path: string): string {
  return Object.entries(fields)
    .filter(([key]) => key === path || key.startsWith(`${path}[`) || key.startsWith(`${path}.`) ||
                       path.startsWith(`${key}.`))
    .map(([key, text]) => (key === path || path.startsWith(`${key}.`) ? text : `${key}: ${text}`))
    .join("；");
}
