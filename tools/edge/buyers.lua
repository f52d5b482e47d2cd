-- wrk script of tools/edge/bench-edge.sh: every request a purchase by the next of USERS distinct
-- users (cycling), each from an address of its own in X-Forwarded-For, with the user's v1 token,
-- so seckill and the nginx + Lua reference get the same bytes.
--   wrk -s buyers.lua URL -- EDGE_DIR PRODUCT FIRST_USER USERS SECRET
local v1_token
local product, first_user, users, secret
local next_user = 0

function init(args)
  package.path = args[1] .. "/?.lua;" .. package.path
  v1_token = require "v1_token"
  product, first_user, users, secret = args[2], tonumber(args[3]), tonumber(args[4]), args[5]
end

function request()
  local n = first_user + next_user
  next_user = (next_user + 1) % users
  local user = tostring(n)
  local address = string.format("10.%d.%d.%d", bit.band(bit.rshift(n, 16), 255),
                                bit.band(bit.rshift(n, 8), 255), bit.band(n, 255))
  return wrk.format("GET", "/seckill?product_id=" .. product .. "&user_id=" .. user ..
                    "&token=" .. v1_token.of(secret, user), {["X-Forwarded-For"] = address})
end
