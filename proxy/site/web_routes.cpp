#include "proxy/site/web_routes.hpp"

#include <stdexcept>
#include <utility>

#include <glog/logging.h>

#include "common/program/config_reader.hpp"
#include "proxy/site/demo_login.hpp"

namespace seckill::proxy {
namespace {

/// True when an If-None-Match header lists `etag` (or is "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    std::size_t end = if_none_match.find(',', start);
    if (end == std::string_view::npos) end = if_none_match.size();
    std::string_view candidate = if_none_match.substr(start, end - start);
    while (candidate.starts_with(' ')) candidate.remove_prefix(1);
    while (candidate.ends_with(' ')) candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison (RFC 9110)
    if (candidate == etag) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

WebRoutes::WebRoutes(std::optional<StaticSite> site,
                     std::shared_ptr<const TokenKeyring> demo_tokens)
    : site_(std::move(site)), demo_tokens_(std::move(demo_tokens)) {}

WebRoutes WebRoutes::from_config(const ProxyConfig& config) {
  const WebConfig& web = config.web;
  std::optional<StaticSite> site;
  if (!web.static_dir.empty()) {
    try {
      site = StaticSite::load(web.static_dir);
    } catch (const std::runtime_error& error) {
      throw ConfigError(std::string("web.static_dir: ") + error.what());
    }
    LOG(INFO) << "web: serving " << site->size() << " files from " << web.static_dir;
  }
  std::shared_ptr<const TokenKeyring> demo_tokens;
  if (web.demo_login) {
    LOG(WARNING) << "web.demo_login is on: POST /demo/login signs anyone in as any user. "
                    "For demos only; switch it off in production.";
    demo_tokens = std::make_shared<const TokenKeyring>(config.tokens, config.secret);
  }
  return WebRoutes(std::move(site), std::move(demo_tokens));
}

std::optional<ApiAnswer> WebRoutes::answer(const WebRequest& request) const {
  if (request.path == "/demo/login" && demo_tokens_) {
    if (request.method == "POST") return demo_login(request.params, *demo_tokens_);
    if (request.method == "GET") return demo_login_available();
    return method_not_allowed(request.method);
  }
  if (request.method == "GET" || request.method == "HEAD") return static_file(request);
  return std::nullopt;
}

std::optional<ApiAnswer> WebRoutes::static_file(const WebRequest& request) const {
  if (!site_) return std::nullopt;
  const StaticFile* file = site_->find(request.path);
  if (file == nullptr) return std::nullopt;
  const bool fresh = etag_matches(request.if_none_match, file->etag);
  ApiAnswer answer = ApiAnswer::raw(file->body, file->content_type, fresh ? 304 : 200);
  answer.send_body = !fresh;
  answer.cache_control = file->cache_control;
  // The page decides purchases: no framing by other sites (clickjacking), no type sniffing,
  // and scripts, styles and requests from this origin only.
  answer.with_header("ETag", file->etag)
      .with_header("X-Content-Type-Options", "nosniff")
      .with_header("X-Frame-Options", "DENY")
      .with_header("Referrer-Policy", "no-referrer")
      .with_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'");
  return answer;
}

}  // namespace seckill::proxy
