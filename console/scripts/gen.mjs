// Generates the API's TypeScript types and service descriptors from proto/
// with Debian's protoc and the pinned protoc-gen-es / protoc-gen-connect-es,
// into src/gen (not committed). A changed message changes these types, and
// `vue-tsc` then fails the build wherever a page uses it wrongly.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const consoleDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const protoDir = join(consoleDir, "..", "proto");
const out = join(consoleDir, "src", "gen");
const bin = join(consoleDir, "node_modules", ".bin");

// google.rpc's error details: the field a refusal names (BadRequest).
const googleapisDir = process.env.DUBAN_GOOGLEAPIS_DIR ??
  "/usr/share/gocode/src/github.com/gogo/googleapis";
const protos = readdirSync(join(protoDir, "duban", "v1"))
  .filter((name) => name.endsWith(".proto"))
  .sort()
  .map((name) => `duban/v1/${name}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync("protoc", [
  `-I${protoDir}`, `-I${googleapisDir}`, "-I/usr/include",
  `--plugin=protoc-gen-es=${join(bin, "protoc-gen-es")}`,
  `--es_out=${out}`, "--es_opt=target=ts",
  `--plugin=protoc-gen-connect-es=${join(bin, "protoc-gen-connect-es")}`,
  `--connect-es_out=${out}`, "--connect-es_opt=target=ts",
  ...protos, "google/rpc/error_details.proto",
], { cwd: protoDir, stdio: "inherit" });
