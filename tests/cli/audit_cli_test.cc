// `duban audit`, `duban admin backup` and `duband --restore-from`, and the
// CLI over TLS and mutual TLS, with the real binaries.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_certificates.h"

namespace duban::testing {
namespace {

// The value of `"field": "..."` or `"field": 12` in protobuf JSON output.
std::string JsonField(const std::string& json, const std::string& field) {
  const std::string key = absl::StrCat("\"", field, "\": ");
  size_t start = json.find(key);
  if (start == std::string::npos) return "";
  start += key.size();
  if (json[start] == '"') ++start;
  const size_t end = json.find_first_of("\",\n", start);
  return json.substr(start, end - start);
}

class AuditCliTest : public ::testing::Test {
 protected:
  // A due date two months from now.
  static std::string Due() {
    return absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 60), absl::UTCTimeZone());
  }

  AuditCliTest() : key_(MakeEd25519Key(scratch_.path(), "audit")) {}

  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "duband said:\n" << server_->log();
  }

  void Start(const std::string& data, std::vector<std::string> flags) {
    server_ = std::make_unique<DubandProcess>(DUBAND_PATH, data, std::move(flags));
  }
  void Stop() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
  }

  CommandResult Duban(std::vector<std::string> args) {
    std::vector<std::string> argv = {DUBAN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {"DUBAN_SERVER=" + server_->address()});
  }
  std::string Ok(std::vector<std::string> args) {
    CommandResult result = Duban(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = scratch_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  ScratchDir scratch_;
  Ed25519Key key_;
  std::unique_ptr<DubandProcess> server_;
};

TEST_F(AuditCliTest, ACheckpointExportedByTheCliVerifiesAndAnAlteredOneDoesNot) {
  Start(scratch_.path() + "/data", {"--dev", "--audit-key", key_.private_key});
  Ok({"--token", "leader", "ticket", "deploy", "--title", "秸秆禁烧", "--lead", "nongye", "--due",
      Due()});
  const std::string checkpoint = Ok({"--token", "admin", "audit", "checkpoint"});
  EXPECT_FALSE(JsonField(checkpoint, "signature").empty()) << checkpoint;
  const std::string file = Write("checkpoint.json", checkpoint);
  Ok({"--token", "leader", "ticket", "deploy", "--title", "防汛检查", "--lead", "ziran", "--due",
      Due()});

  std::string out = Ok({"--token", "discipline", "audit", "verify", "--checkpoint", file,
                        "--public-key", key_.public_key});
  EXPECT_NE(out.find("verified"), std::string::npos) << out;
  EXPECT_NE(out.find("yes"), std::string::npos) << out;

  const std::string cursor = JsonField(checkpoint, "cursor");
  const std::string altered = Write(
      "altered.json", absl::StrReplaceAll(checkpoint, {{"\"cursor\": \"" + cursor + "\"",
                                                         "\"cursor\": \"1\""}}));
  CommandResult refused = Duban({"--token", "discipline", "audit", "verify", "--checkpoint",
                                 altered, "--public-key", key_.public_key});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("does not verify"), std::string::npos) << refused.err;

  const Ed25519Key other = MakeEd25519Key(scratch_.path(), "other");
  refused = Duban({"--token", "discipline", "audit", "verify", "--checkpoint", file,
                   "--public-key", other.public_key});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("not signed by --public-key"), std::string::npos) << refused.err;
}

TEST_F(AuditCliTest, ABackupRestoredByDubandHasTheSameAuditHead) {
  Start(scratch_.path() + "/data", {"--dev"});
  Ok({"--token", "leader", "ticket", "deploy", "--title", "秸秆禁烧", "--lead", "nongye", "--due",
      Due()});
  const std::string backups = scratch_.path() + "/backups";
  const std::string backup = Ok({"--token", "admin", "-o", "json", "admin", "backup", backups});
  const std::string head = JsonField(backup, "chainSha256");
  ASSERT_EQ(head.size(), 64u) << backup;
  Stop();

  Start(scratch_.path() + "/restored", {"--restore-from", backups});
  EXPECT_NE(server_->log().find("restored"), std::string::npos) << server_->log();
  const std::string report = Ok({"--token", "admin", "-o", "json", "audit", "verify"});
  EXPECT_EQ(JsonField(report, "ok"), "true") << report;
  EXPECT_EQ(JsonField(report, "chainSha256"), head) << report;
  Stop();

  // Started again with the same --restore-from (a restarted pod), the
  // restored store is served as it is.
  Start(scratch_.path() + "/restored", {"--restore-from", backups});
  EXPECT_NE(server_->log().find("was restored from"), std::string::npos) << server_->log();
  EXPECT_EQ(JsonField(Ok({"--token", "admin", "-o", "json", "audit", "verify"}), "chainSha256"),
            head);
  Stop();

  // Never over a store that has data of its own.
  ChildProcess refused({DUBAND_PATH, "--data", scratch_.path() + "/data", "--listen",
                        "127.0.0.1:0", "--restore-from", backups},
                       {}, ChildProcess::kStderr);
  EXPECT_EQ(refused.Wait(), 1);
  EXPECT_NE(refused.output().find("holds a store"), std::string::npos) << refused.output();
}

TEST_F(AuditCliTest, TheCliSpeaksTlsAndMutualTls) {
  TestCertificates pki(scratch_.path());
  const ClientIdentity leader = pki.Client("leader");
  Start(scratch_.path() + "/data", {"--dev", "--tls-cert", pki.server_cert(), "--tls-key",
                                    pki.server_key(), "--tls-client-ca", pki.ca_cert()});
  EXPECT_NE(server_->log().find("(TLS)"), std::string::npos) << server_->log();
  Ok({"--ca", pki.ca_cert(), "--token", "leader", "ticket", "list"});
  Ok({"--ca", pki.ca_cert(), "--cert", leader.cert, "--key", leader.key, "ticket", "deploy",
      "--title", "秸秆禁烧", "--lead", "nongye", "--due", Due()});
  CommandResult plaintext = Duban({"--token", "leader", "ticket", "list"});
  EXPECT_EQ(plaintext.exit_code, 1);
  EXPECT_NE(plaintext.err.find("UNAVAILABLE"), std::string::npos) << plaintext.err;
  CommandResult half = Duban({"--ca", pki.ca_cert(), "--cert", leader.cert, "ticket", "list"});
  EXPECT_EQ(half.exit_code, 2) << "--cert without --key is a usage error";
}

}  // namespace
}  // namespace duban::testing
