// Who is logged in: the session token and the principal it belongs to,
// kept in sessionStorage so a reload keeps the login and closing the tab
// ends it. The token is sent as `Authorization: Bearer` by api/client.ts.
import { markRaw, reactive } from "vue";
import { Principal, Role } from "../gen/duban/v1/directory_pb";

const STORAGE_KEY = "duban.session";

interface Stored {
  token: string;
  principal: unknown;
}

export const session = reactive({
  token: "",
  principal: null as Principal | null,
  // Why the last session ended without a logout (shown on the login page).
  endedBecause: "",
});

function restore() {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (!text) return;
  try {
    const stored = JSON.parse(text) as Stored;
    session.token = stored.token;
    session.principal = markRaw(Principal.fromJson(stored.principal as never));
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
  }
}
restore();

export function startSession(token: string, principal: Principal) {
  session.token = token;
  session.principal = markRaw(principal);
  session.endedBecause = "";
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token, principal: principal.toJson() }));
}

let onEnded: () => void = () => {};
// Sets what happens when a session ends, by logout or by the server
// refusing it (one callback: the app's, which goes to the login page).
export function whenSessionEnds(callback: () => void) {
  onEnded = callback;
}

export function endSession(reason = "") {
  const hadSession = session.token !== "";
  session.token = "";
  session.principal = null;
  session.endedBecause = reason;
  sessionStorage.removeItem(STORAGE_KEY);
  if (hadSession) onEnded();
}

export function hasRole(...roles: Role[]): boolean {
  const own = session.principal?.roles ?? [];
  return roles.some((role) => own.includes(role));
}

// `units/nongye` for unit staff; "" otherwise.
export function ownUnit(): string {
  return session.principal?.unit ?? "";
}
