#include "server/edge/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace duban {
namespace {

namespace fs = std::filesystem;

// Files larger than this are not served (the console's largest is well
// under it).
constexpr uintmax_t kMaxFileBytes = 32 << 20;

struct TypeRow {
  absl::string_view extension;
  absl::string_view type;
};

constexpr TypeRow kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
};

absl::string_view ContentType(const fs::path& path) {
  const std::string extension = absl::AsciiStrToLower(path.extension().string());
  for (const TypeRow& row : kTypes) {
    if (row.extension == extension) return row.type;
  }
  return "application/octet-stream";
}

// True when a request path could name a file: no `..`, no NUL or backslash.
bool SafePath(absl::string_view path) {
  if (absl::StrContains(path, '\0') || absl::StrContains(path, '\\')) return false;
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (segment == "..") return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<StaticFiles> StaticFiles::Open(const std::string& dir) {
  std::error_code error;
  const fs::path root = fs::canonical(dir, error);
  if (error || !fs::is_directory(root, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--console_dir ", dir, " is not a directory"));
  }
  return StaticFiles(root.string());
}

bool StaticFiles::ServeFile(const std::string& path, bool immutable,
                            const httplib::Request& request, httplib::Response& response) const {
  std::error_code error;
  const fs::path resolved = fs::canonical(path, error);
  if (error || !fs::is_regular_file(resolved, error)) return false;
  // A symbolic link may point out of the directory.
  if (!absl::StartsWith(resolved.string(), absl::StrCat(root_, "/"))) return false;
  const uintmax_t size = fs::file_size(resolved, error);
  if (error || size > kMaxFileBytes) return false;
  const auto modified = fs::last_write_time(resolved, error).time_since_epoch().count();
  const std::string etag = absl::StrCat("\"", size, "-", modified, "\"");
  response.set_header("ETag", etag);
  response.set_header("Cache-Control",
                      immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.get_header_value("If-None-Match") == etag) {
    response.status = 304;
    return true;
  }
  std::ifstream file(resolved, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  if (!file.good() && !file.eof()) return false;
  response.status = 200;
  response.set_content(content.str(), std::string(ContentType(resolved)).c_str());
  return true;
}

void StaticFiles::Serve(const httplib::Request& request, httplib::Response& response) const {
  const std::string& path = request.path;
  if (SafePath(path)) {
    const bool hashed = absl::StartsWith(path, "/assets/");
    std::string relative = path.substr(path.find_first_not_of('/') == std::string::npos
                                           ? path.size()
                                           : path.find_first_not_of('/'));
    if (relative.empty() || absl::EndsWith(relative, "/")) relative += "index.html";
    if (ServeFile(absl::StrCat(root_, "/", relative), hashed, request, response)) return;
    // A route of the console (no extension in its last segment) gets the
    // page that routes it.
    const absl::string_view last = absl::string_view(path).substr(path.rfind('/') + 1);
    if (!hashed && !absl::StrContains(last, '.') &&
        ServeFile(absl::StrCat(root_, "/index.html"), false, request, response)) {
      return;
    }
  }
  response.status = 404;
  response.set_header("Cache-Control", "no-cache");
  response.set_content("not found\n", "text/plain; charset=utf-8");
}

}  // namespace duban
