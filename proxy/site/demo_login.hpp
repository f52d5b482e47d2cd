// Demo sign-in: `POST /demo/login` with a user_id signs the browser in as that user by setting
// the user_id and token cookies, so the sale page can be tried without minting tokens by hand.
//
// Anyone can become anyone through it: it exists for demos only, is off unless the config says
// `"web": {"demo_login": true}`, and the proxy warns at start-up when it is on. In production
// the tokens come from the site's real login, which knows the secret (README, The sale page).
#pragma once

#include "common/token/token.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/api/request_params.hpp"

namespace seckill::proxy {

/// The answer to `POST /demo/login`: the cookies for `user_id` (a v2 token that lives as long
/// as tokens.lifetime_s says, and the cookies as long), or the 4000 naming it.
ApiAnswer demo_login(const RequestParams& params, const TokenKeyring& tokens);

/// The answer to `GET /demo/login`: tells the page that demo sign-in is available.
ApiAnswer demo_login_available();

}  // namespace seckill::proxy
