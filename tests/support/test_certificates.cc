#include "tests/support/test_certificates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/support/process.h"

namespace duban::testing {
namespace {

void RunOpenssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult result = RunCommand(argv);
  if (result.exit_code != 0) {
    ADD_FAILURE() << absl::StrJoin(argv, " ") << " failed: " << result.err;
    throw std::runtime_error("openssl failed");
  }
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// A P-256 key and a certificate request for CN=`common_name`.
void NewKeyAndRequest(const std::string& base, const std::string& common_name) {
  RunOpenssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", base + ".key", "-out", base + ".csr", "-subj",
              "/CN=" + common_name});
}

// A self-signed CA certificate and key at `base`.pem / `base`.key.
void NewCa(const std::string& base, const std::string& common_name) {
  RunOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", base + ".key", "-out", base + ".pem", "-days", "30", "-subj",
              "/CN=" + common_name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
              "keyUsage=critical,keyCertSign,cRLSign"});
}

// Signs `base`.csr with the CA into `base`.pem, with the extensions given.
void Sign(const std::string& base, const std::string& ca, int serial,
          const std::string& extensions) {
  WriteFile(base + ".ext", extensions);
  RunOpenssl({"x509", "-req", "-in", base + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
              "-set_serial", absl::StrCat(serial), "-days", "30", "-out", base + ".pem",
              "-extfile", base + ".ext"});
}

}  // namespace

TestCertificates::TestCertificates(const std::string& directory)
    : directory_(directory + "/pki") {
  std::filesystem::create_directories(directory_);
  NewCa(directory_ + "/ca", "duban test CA");
  ca_cert_ = directory_ + "/ca.pem";
  ca_key_ = directory_ + "/ca.key";
  const std::string server = directory_ + "/server";
  NewKeyAndRequest(server, "localhost");
  Sign(server, directory_ + "/ca", ++serial_,
       "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  server_cert_ = server + ".pem";
  server_key_ = server + ".key";
}

ClientIdentity TestCertificates::Client(const std::string& common_name, bool trusted) {
  std::string ca = directory_ + "/ca";
  if (!trusted) {
    ca = directory_ + "/stranger-ca";
    if (!std::filesystem::exists(ca + ".pem")) NewCa(ca, "some other CA");
  }
  const std::string base =
      absl::StrCat(directory_, "/client-", common_name, trusted ? "" : "-untrusted");
  NewKeyAndRequest(base, common_name);
  Sign(base, ca, ++serial_, "extendedKeyUsage=clientAuth\n");
  return {.cert = base + ".pem", .key = base + ".key"};
}

std::string TestCertificates::CrlDirectory() {
  const std::string config = directory_ + "/ca.cnf";
  if (!std::filesystem::exists(config)) {
    WriteFile(directory_ + "/index.txt", "");
    WriteFile(directory_ + "/crlnumber", "01\n");
    WriteFile(config, absl::StrCat("[ca]\ndefault_ca = test_ca\n[test_ca]\n",
                                   "database = ", directory_, "/index.txt\n",
                                   "crlnumber = ", directory_, "/crlnumber\n",
                                   "certificate = ", ca_cert_, "\n",
                                   "private_key = ", ca_key_, "\n",
                                   "default_md = sha256\ndefault_crl_days = 30\n"));
  }
  const std::string crl_dir = directory_ + "/crl";
  std::filesystem::remove_all(crl_dir);
  std::filesystem::create_directories(crl_dir);
  RunOpenssl({"ca", "-config", config, "-gencrl", "-out", crl_dir + "/ca.crl.pem"});
  RunOpenssl({"rehash", crl_dir});
  return crl_dir;
}

std::string TestCertificates::Revoke(const ClientIdentity& client) {
  CrlDirectory();  // makes the CA's database on first use
  RunOpenssl({"ca", "-config", directory_ + "/ca.cnf", "-revoke", client.cert});
  return CrlDirectory();
}

Ed25519Key MakeEd25519Key(const std::string& directory, const std::string& name) {
  const Ed25519Key key{.private_key = absl::StrCat(directory, "/", name, ".pem"),
                       .public_key = absl::StrCat(directory, "/", name, ".pub.pem")};
  RunOpenssl({"genpkey", "-algorithm", "ed25519", "-out", key.private_key});
  RunOpenssl({"pkey", "-in", key.private_key, "-pubout", "-out", key.public_key});
  return key;
}

}  // namespace duban::testing
