// The checkpoint VerifyAudit accepts: a positive cursor, a valid signature,
// by this server's audit key when it has one.
#include "domain/checkpoint_rules.h"

#include <memory>
#include <string>
#include <vector>

#include "base/checkpoint_signature.h"
#include "base/text_file.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_certificates.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;

class CheckpointRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> pem =
        ReadTextFile(testing::MakeEd25519Key(keys_.path(), "audit").private_key);
    ASSERT_TRUE(pem.ok()) << pem.status();
    absl::StatusOr<std::unique_ptr<CheckpointSigner>> signer = CheckpointSigner::FromPem(*pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
  }

  // A request carrying a checkpoint at `cursor`, signed by the server's key.
  v1::VerifyAuditRequest Signed(int64_t cursor) const {
    v1::VerifyAuditRequest request;
    v1::Checkpoint& checkpoint = *request.mutable_checkpoint();
    checkpoint.set_cursor(cursor);
    checkpoint.set_chain_sha256(std::string(64, 'a'));
    checkpoint.set_log_entries(cursor);
    EXPECT_TRUE(signer_->Sign(checkpoint).ok());
    return request;
  }

  testing::ScratchDir keys_;
  std::unique_ptr<CheckpointSigner> signer_;
};

TEST_F(CheckpointRulesTest, AcceptsNoCheckpointOrOneThisServerSigned) {
  EXPECT_TRUE(Validate(v1::VerifyAuditRequest(), "").ok());
  EXPECT_TRUE(Validate(v1::VerifyAuditRequest(), signer_->public_key()).ok());
  EXPECT_TRUE(Validate(Signed(7), signer_->public_key()).ok());
  // A server without an audit key takes any valid signature.
  EXPECT_TRUE(Validate(Signed(7), "").ok());
}

TEST_F(CheckpointRulesTest, RefusalsNameTheFirstBadField) {
  v1::VerifyAuditRequest altered = Signed(7);
  altered.mutable_checkpoint()->set_cursor(6);
  v1::VerifyAuditRequest unsigned_zero = Signed(7);
  unsigned_zero.mutable_checkpoint()->set_cursor(0);
  const struct {
    const char* label;
    v1::VerifyAuditRequest request;
    std::string server_key;
    std::string field;
    std::string message;
  } kCases[] = {
      {"cursor 0", Signed(0), signer_->public_key(), "checkpoint.cursor",
       "checkpoint.cursor: must be positive"},
      {"a negative cursor", Signed(-3), "", "checkpoint.cursor",
       "checkpoint.cursor: must be positive"},
      // The cursor is checked before the signature.
      {"cursor 0 and a broken signature", unsigned_zero, "", "checkpoint.cursor",
       "checkpoint.cursor: must be positive"},
      {"altered after signing", altered, signer_->public_key(), "checkpoint.signature", ""},
      {"altered, server without a key", altered, "", "checkpoint.signature", ""},
      {"another server's key", Signed(7), "another key", "checkpoint.public_key",
       "checkpoint.public_key: is not this server's audit key"},
  };
  for (const auto& c : kCases) {
    const absl::Status status = Validate(c.request, c.server_key);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label << ": " << status;
    EXPECT_EQ(BadRequestFields(status), std::vector<std::string>{c.field}) << c.label;
    if (!c.message.empty()) EXPECT_EQ(status.message(), c.message) << c.label;
  }
}

}  // namespace
}  // namespace duban
