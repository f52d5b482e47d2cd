// WebRoutes: what the proxy serves besides its API: the sale page's files under `/`, and the
// demo sign-in when it is switched on. Every path it does not know is left to the Router's 404.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/token/token.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/api/request_params.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/site/static_site.hpp"

namespace seckill::proxy {

struct WebRequest {
  std::string_view method;
  std::string_view path;  // without the query string
  std::string_view if_none_match;
  const RequestParams& params;
};

class WebRoutes {
 public:
  WebRoutes() = default;
  /// `demo_tokens` signs the demo sign-in's tokens; null: no demo sign-in.
  WebRoutes(std::optional<StaticSite> site, std::shared_ptr<const TokenKeyring> demo_tokens);

  /// Reads the page's folder named by `config.web` (none when it names none) and the demo
  /// switch. Throws ConfigError naming web.static_dir when the folder cannot be read.
  static WebRoutes from_config(const ProxyConfig& config);

  /// The answer for `request`, or nullopt when the path is not one of these routes.
  std::optional<ApiAnswer> answer(const WebRequest& request) const;

 private:
  std::optional<ApiAnswer> static_file(const WebRequest& request) const;

  std::optional<StaticSite> site_;
  std::shared_ptr<const TokenKeyring> demo_tokens_;
};

}  // namespace seckill::proxy
