// Filling the directory at start-up: the demo county for `--dev`, and the
// principals file given with `--principals`.
#ifndef DUBAN_SERVER_RUNTIME_DIRECTORY_SEED_H_
#define DUBAN_SERVER_RUNTIME_DIRECTORY_SEED_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "storage/directory_store.h"

namespace duban {

// Stores the demo county (domain/demo_county.h) in one write. Does
// nothing when the directory is not empty, so a restart keeps what is there.
[[nodiscard]] absl::Status SeedDemoCounty(storage::DirectoryStore& directory, absl::Time now);

// Creates or updates every principal of the PrincipalsFile (protobuf JSON)
// at `path`. Each must pass the same rules as CreatePrincipal; the first
// that does not is an INVALID_ARGUMENT naming its index, and nothing after
// it is loaded.
[[nodiscard]] absl::Status LoadPrincipalsFile(const std::string& path,
                                              storage::DirectoryStore& directory, absl::Time now);

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_DIRECTORY_SEED_H_
