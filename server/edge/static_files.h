// StaticFiles: the web console's files, served by the HTTP gateway from a
// directory (`duband --console_dir`).
//
//   /                       → index.html
//   /assets/app-3f2a.js     → the file, cached for a year (its name changes
//                             with its content)
//   /tickets/42             → index.html: a route of the console, not a file
//   /missing.png            → 404
//
// Every answer names its content type and how long it may be cached
// (index.html and other unhashed files: `no-cache`, revalidated by ETag).
// Paths that leave the directory — `..`, or a symbolic link out of it — are
// not served. Thread-safe.
#ifndef DUBAN_SERVER_EDGE_STATIC_FILES_H_
#define DUBAN_SERVER_EDGE_STATIC_FILES_H_

#include <httplib.h>

#include <string>

#include "absl/status/statusor.h"

namespace duban {

class StaticFiles {
 public:
  // INVALID_ARGUMENT naming --console_dir when `dir` is not a directory.
  static absl::StatusOr<StaticFiles> Open(const std::string& dir);

  // Answers a GET or HEAD of `request.path`.
  void Serve(const httplib::Request& request, httplib::Response& response) const;

 private:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  // Answers with the file at `path` (already resolved inside root_); false
  // when it is not a regular file.
  bool ServeFile(const std::string& path, bool immutable, const httplib::Request& request,
                 httplib::Response& response) const;

  std::string root_;  // canonical, without a trailing slash
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_STATIC_FILES_H_
