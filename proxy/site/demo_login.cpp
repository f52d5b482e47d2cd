#include "proxy/site/demo_login.hpp"

#include <string>

#include "common/base/clock.hpp"
#include "proxy/purchase/purchase_gate.hpp"

namespace seckill::proxy {

ApiAnswer demo_login(const RequestParams& params, const TokenKeyring& tokens) {
  auto id = required_id(params, "user_id");
  if (auto* answer = std::get_if<ApiAnswer>(&id)) return std::move(*answer);
  const UserId user_id = std::get<std::int64_t>(id);
  // The cookies end with the token: a browser then signs in afresh rather than hold a token
  // that only answers 4001.
  std::string attributes = "; Path=/; Max-Age=";
  attributes += std::to_string(tokens.lifetime_s());
  attributes += "; SameSite=Strict";
  std::string user_cookie = "user_id=";
  user_cookie += std::to_string(user_id);
  user_cookie += attributes;
  std::string token_cookie = "token=";
  token_cookie += tokens.issue_from(user_id, unix_ms_now() / 1000);
  token_cookie += attributes;
  token_cookie += "; HttpOnly";
  // The page reads user_id to show who is signed in; the token stays out of its scripts' reach.
  return ApiAnswer::of(Code::kOk, "signed in")
      .with_int("user_id", user_id)
      .with_header("Set-Cookie", std::move(user_cookie))
      .with_header("Set-Cookie", std::move(token_cookie));
}

ApiAnswer demo_login_available() {
  return ApiAnswer::of(Code::kOk, "demo sign-in is on").with_string("demo_login", "on");
}

}  // namespace seckill::proxy
