// WebRoutes: what the proxy serves besides its API: the sale page's files under `/`, and the
// demo sign-in when it is switched on. Every path it does not know is left to the Router's 404.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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
  WebRoutes(std::optional<StaticSite> site, bool demo_login, std::string secret);

  /// Reads the page's folder named by `web` (none when it names none) and the demo switch.
  /// Throws ConfigError naming web.static_dir when the folder cannot be read.
  static WebRoutes from_config(const WebConfig& web, const std::string& secret);

  /// The answer for `request`, or nullopt when the path is not one of these routes.
  std::optional<ApiAnswer> answer(const WebRequest& request) const;

 private:
  std::optional<ApiAnswer> static_file(const WebRequest& request) const;

  std::optional<StaticSite> site_;
  bool demo_login_ = false;
  std::string secret_;
};

}  // namespace seckill::proxy
