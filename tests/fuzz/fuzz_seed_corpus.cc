// fuzz_seed_corpus: turns a seed file into a libFuzzer corpus for one
// method.
//
//   fuzz_seed_corpus duban.v1.TicketService/CreateTicket seeds/CreateTicket.txtpb out/
//
// A seed file holds requests in protobuf text format, each after a line
// `# token: <token>` naming the caller (one of FuzzTokens(); empty for
// none). Each becomes out/seed-<n>: the token's index byte, then the
// request's bytes — the input format of FuzzCall (tests/fuzz/rpc_fuzzer.h).
// Exits 1, naming the seed, when a request does not parse.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "tests/fuzz/rpc_fuzzer.h"

namespace {

struct Seed {
  std::string token;
  std::string text;
};

std::vector<Seed> ReadSeeds(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  std::vector<Seed> seeds;
  for (absl::string_view line : absl::StrSplit(contents.str(), '\n')) {
    if (absl::ConsumePrefix(&line, "# token:")) {
      seeds.push_back({std::string(absl::StripAsciiWhitespace(line)), ""});
    } else if (!seeds.empty()) {
      absl::StrAppend(&seeds.back().text, line, "\n");
    }
  }
  return seeds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <package.Service/Method> <seed file> <corpus dir>\n", argv[0]);
    return 2;
  }
  const std::string method = argv[1];
  const std::filesystem::path out = argv[3];
  std::filesystem::create_directories(out);
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          &duban::fuzz::RequestType(method));
  const auto tokens = duban::fuzz::FuzzTokens();
  int number = 0;
  for (const Seed& seed : ReadSeeds(argv[2])) {
    ++number;
    const auto token = std::find(tokens.begin(), tokens.end(), seed.token);
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    if (token == tokens.end() ||
        !google::protobuf::TextFormat::ParseFromString(seed.text, request.get())) {
      std::fprintf(stderr, "%s: seed %d (token \"%s\") is not a %s\n", argv[2], number,
                   seed.token.c_str(), request->GetDescriptor()->full_name().c_str());
      return 1;
    }
    std::ofstream file(out / absl::StrCat("seed-", number), std::ios::binary);
    file.put(static_cast<char>(std::distance(tokens.begin(), token)));
    file << request->SerializeAsString();
  }
  return 0;
}
