-- The nginx + Lua reference endpoint: what a hand-written OpenResty-style flash-sale edge does
-- per request, to measure seckill against. GET /seckill?product_id=P&user_id=U&token=T with
-- seckill's v1 token (hex HMAC-SHA256 of the user id), so one client drives both targets.
-- Sold out is remembered in a shared dict and answered without Redis.
local ffi = require "ffi"
local redis = require "nginx.redis"
local v1_token = require "v1_token"

local edge = {}
local secret, redis_host, redis_port, script, script_sha
local sold_out = ngx.shared.sold_out

local function answer(status, body)
  ngx.status = status
  ngx.header["Content-Type"] = "application/json"
  ngx.print(body)
end

-- options: secret, redis_host, redis_port, script (the text of decide.lua).
function edge.init(options)
  secret, redis_host, redis_port = options.secret, options.redis_host, options.redis_port
  script = options.script
  script_sha = v1_token.hex(ffi.cast("const unsigned char *", ngx.sha1_bin(script)), 20)
end

function edge.purchase()
  local args = ngx.req.get_uri_args(8)
  local product, user, token = args.product_id, args.user_id, args.token
  if type(product) ~= "string" or not product:match("^[1-9]%d*$") then
    return answer(400, '{"code":4000,"message":"product_id"}')
  end
  if type(user) ~= "string" or not user:match("^[1-9]%d*$") then
    return answer(400, '{"code":4000,"message":"user_id"}')
  end
  if type(token) ~= "string" or token ~= v1_token.of(secret, user) then
    return answer(401, '{"code":4001,"message":"bad token"}')
  end
  if sold_out:get(product) then
    return answer(200, '{"code":1001,"message":"sold out"}')
  end
  local red = redis:new()
  red:set_timeout(1000)
  local ok = red:connect(redis_host, redis_port)
  if not ok then return answer(503, '{"code":5003,"message":"redis unreachable"}') end
  local prefix = "edge:{" .. product .. "}:"
  local product_key, buyers_key, orders_key = prefix .. "product", prefix .. "buyers", prefix .. "orders"
  local result, err = red:evalsha(script_sha, 3, product_key, buyers_key, orders_key, user)
  if not result and err and err:find("NOSCRIPT", 1, true) then
    result, err = red:eval(script, 3, product_key, buyers_key, orders_key, user)
  end
  if not result then return answer(503, '{"code":5003,"message":"redis error"}') end
  red:set_keepalive(10000, 512)
  local code = result[1]
  if code == 1001 then sold_out:set(product, true) end
  if code == 0 then
    return answer(200, '{"code":0,"message":"ok","data":{"order_id":"' .. result[2] .. '"}}')
  end
  return answer(200, '{"code":' .. code .. '}')
end

return edge
