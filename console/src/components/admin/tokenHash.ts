// A new principal's token_sha256: the SHA-256 (lowercase hex) of 32 random
// bytes. The token itself is thrown away: people log in with passwords.
// crypto.subtle needs a secure context (https, or localhost), which is how
// duband serves the console: it refuses plaintext off loopback.
export async function newTokenSha256(): Promise<string> {
  const token = crypto.getRandomValues(new Uint8Array(32));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", token));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
