// StaticSite: the sale page's files (HTML, CSS, JavaScript, images), read into memory once at
// start-up and answered from there.
//
// Only files found under the site's folder when it was loaded can ever be served: a request path
// is decoded, checked and looked up in that fixed map, never joined onto a file system path. So
// traversal (`/../`, `%2e%2e`, `..%2f`, backslashes, NUL) cannot reach anything else, and on top
// of that such paths are refused outright as suspicious. Pure after load(); thread-safe to read.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seckill::proxy {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string cache_control;
  std::string etag;  // strong validator: a hash of the content, quoted
};

/// The site's key for a request path ("/" -> "/index.html", "/a/" -> "/a/index.html"), or
/// nothing when the path is unsafe: a bad percent escape, a NUL or backslash, an empty, "." or
/// ".." segment in the raw or the decoded form.
std::optional<std::string> static_key(std::string_view request_path);

/// The Content-Type for a file name, by extension (application/octet-stream when unknown).
std::string_view content_type_for(std::string_view file_name);

class StaticSite {
 public:
  /// Most bytes a site may hold in memory: it is a page, not a file server.
  static constexpr std::size_t kMaxTotalBytes = 32u << 20;

  /// Reads every regular file under `folder` (dot files skipped). Throws std::runtime_error
  /// naming the folder or file when it cannot be read or is too large.
  static StaticSite load(const std::filesystem::path& folder);

  /// The file for a request path, or nullptr when there is none (or the path is unsafe).
  const StaticFile* find(std::string_view request_path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::unordered_map<std::string, StaticFile> files_;  // "/index.html" -> file
};

}  // namespace seckill::proxy
