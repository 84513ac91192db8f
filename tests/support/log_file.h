// LogFile: a temporary file a server under test logs to (JsonLog), read
// back by the test.
//
//   LogFile log;
//   options.log = std::make_shared<JsonLog>(log.file(), LogLevel::kInfo);
//   EXPECT_NE(log.Contents().find("listening"), std::string::npos);
#ifndef DUBAN_TESTS_SUPPORT_LOG_FILE_H_
#define DUBAN_TESTS_SUPPORT_LOG_FILE_H_

#include <cstdio>
#include <string>

namespace duban::testing {

class LogFile {
 public:
  LogFile() : file_(std::tmpfile()) {}
  ~LogFile() { std::fclose(file_); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Open until this is destroyed: stop whatever writes to it first.
  std::FILE* file() const { return file_; }
  // Everything written so far.
  std::string Contents() const;

 private:
  std::FILE* file_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_LOG_FILE_H_
