#include "server/replication/snapshot_fetch.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "server/runtime/json_log.h"
#include "storage/snapshot.h"

namespace duban {

absl::Status FetchSnapshot(const SnapshotSource& source, const std::string& data_directory,
                           const std::string& expected_store_id, JsonLog& log) {
  const absl::Time start = absl::Now();
  log.Write(LogLevel::kInfo, absl::StrCat("fetching a snapshot of ", source.primary),
            {{"primary", source.primary}});
  ASSIGN_OR_RETURN(storage::SnapshotInstaller installer,
                   storage::SnapshotInstaller::Begin(data_directory));
  auto stub = v1::ReplicationService::NewStub(source.channel);
  std::unique_ptr<grpc::ClientContext> context =
      PeerContext(source.credentials, absl::InfiniteDuration());
  auto stream = stub->FetchSnapshot(context.get(), v1::FetchSnapshotRequest());
  v1::SnapshotChunk chunk;
  int64_t file_count = -1;
  int64_t bytes = 0;
  absl::Status failed;
  while (failed.ok() && stream->Read(&chunk)) {
    if (file_count < 0) {
      file_count = chunk.file_count();
      if (!expected_store_id.empty() && chunk.store_id() != expected_store_id) {
        failed = absl::FailedPreconditionError(absl::StrCat(
            "the primary ", source.primary, " serves store ", chunk.store_id(),
            " but this replica holds store ", expected_store_id,
            ": another county's record; give the replica an empty data directory to copy it"));
      }
      continue;
    }
    failed = installer.Append(chunk.file(), chunk.offset(), chunk.data());
    bytes += static_cast<int64_t>(chunk.data().size());
    if (failed.ok() && !chunk.file_sha256().empty()) {
      failed = installer.EndFile(chunk.file(), chunk.file_size(), chunk.file_sha256());
    }
  }
  if (!failed.ok()) {
    context->TryCancel();
    stream->Finish().ok();
    return failed;
  }
  RETURN_IF_ERROR(FromPeer(stream->Finish(), absl::StrCat("snapshot from ", source.primary)));
  RETURN_IF_ERROR(installer.Install(file_count));
  log.Write(LogLevel::kInfo,
            absl::StrCat("installed a snapshot of ", source.primary, ": ", file_count, " files, ",
                         bytes, " bytes in ", absl::FormatDuration(absl::Now() - start)),
            {{"primary", source.primary}, {"bytes", bytes}});
  return absl::OkStatus();
}

}  // namespace duban
