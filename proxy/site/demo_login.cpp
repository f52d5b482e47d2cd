#include "proxy/site/demo_login.hpp"

#include <string>

#include "common/token.hpp"
#include "proxy/purchase/purchase_gate.hpp"

namespace seckill::proxy {
namespace {

/// A day: long enough for a demo, short enough not to linger.
constexpr std::string_view kCookieAttributes = "; Path=/; Max-Age=86400; SameSite=Strict";

}  // namespace

ApiAnswer demo_login(const RequestParams& params, std::string_view secret) {
  auto id = required_id(params, "user_id");
  if (auto* answer = std::get_if<ApiAnswer>(&id)) return std::move(*answer);
  const UserId user_id = std::get<std::int64_t>(id);
  const std::string user = std::to_string(user_id);
  // The page reads user_id to show who is signed in; the token stays out of its scripts' reach.
  return ApiAnswer::of(Code::kOk, "signed in")
      .with_int("user_id", user_id)
      .with_header("Set-Cookie", "user_id=" + user + std::string(kCookieAttributes))
      .with_header("Set-Cookie", "token=" + make_token(secret, user_id) +
                                     std::string(kCookieAttributes) + "; HttpOnly");
}

ApiAnswer demo_login_available() {
  return ApiAnswer::of(Code::kOk, "demo sign-in is on").with_string("demo_login", "on");
}

}  // namespace seckill::proxy
