#include "proxy/site/static_site.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "proxy/api/request_params.hpp"

namespace seckill::proxy {
namespace {

/// True when every segment of an absolute path is a plain name (no "", "." or "..").
bool plain_segments(std::string_view path, bool allow_trailing_slash) {
  if (!path.starts_with('/')) return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if (segment.empty() && !(last && allow_trailing_slash)) return false;
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

std::string etag_of(std::string_view content) {
  // FNV-1a: a validator, not a signature; with the length, collisions are out of the question
  // for a page's handful of files.
  std::uint64_t hash = 1469598103934665603ULL;
  for (char c : content) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  std::array<char, 48> text{};
  std::snprintf(text.data(), text.size(), "\"%016llx-%zx\"", static_cast<unsigned long long>(hash),
                content.size());
  return text.data();
}

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + file.string());
  return std::move(content).str();
}

bool hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    if (part.string().starts_with('.')) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> static_key(std::string_view request_path) {
  // Check the raw form too: "/a/..%2f" must not become legal by decoding into something else.
  if (request_path.find('\\') != std::string_view::npos) return std::nullopt;
  if (!plain_segments(request_path, true)) return std::nullopt;
  auto decoded = percent_decode_path(request_path);
  if (!decoded) return std::nullopt;
  if (decoded->find('\0') != std::string::npos || decoded->find('\\') != std::string::npos) {
    return std::nullopt;
  }
  if (!plain_segments(*decoded, true)) return std::nullopt;
  if (decoded->ends_with('/')) decoded->append("index.html");
  return decoded;
}

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (file_name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

StaticSite StaticSite::load(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    throw std::runtime_error(folder.string() + " is not a readable folder");
  }
  StaticSite site;
  std::size_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto relative = std::filesystem::relative(it->path(), folder);
    if (hidden(relative)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    StaticFile file;
    file.body = read_whole(it->path());
    total += file.body.size();
    if (total > kMaxTotalBytes) {
      throw std::runtime_error(folder.string() + " holds more than 32 MiB");
    }
    const std::string name = it->path().filename().string();
    file.content_type = content_type_for(name);
    // The HTML revalidates on every load, so a new release shows at once; its CSS and script
    // may be kept a few minutes (a 304 costs a round trip, not the file).
    file.cache_control = name.ends_with(".html") ? "no-cache" : "public, max-age=300";
    file.etag = etag_of(file.body);
    std::string key = "/";  // built by append: GCC 12 -O3 misreads `"/" + string` (-Wrestrict)
    key += relative.generic_string();
    site.files_.emplace(std::move(key), std::move(file));
  }
  if (ec) throw std::runtime_error("cannot list " + folder.string() + ": " + ec.message());
  return site;
}

const StaticFile* StaticSite::find(std::string_view request_path) const {
  auto key = static_key(request_path);
  if (!key) return nullptr;
  auto it = files_.find(*key);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace seckill::proxy
