-- Decides a batch of purchase requests for ONE product, atomically and in arrival order.
--
-- Redis runs a script to the end before anything else, so every rule is checked and applied per
-- request exactly as if the requests had come one by one, while the per-call costs (the script
-- call, TIME, reading the product, pushing replies, setting list expiries) are paid once per
-- batch.
--
-- KEYS[1]          product hash   seckill:product:{P}   total left sold seq start_ms end_ms ...
-- KEYS[2]          buyers hash    seckill:buyers:{P}    user id -> comma-separated order ids
-- KEYS[3]          order stream   seckill:orders:{P}    order_id user_id request_id time_ms
-- KEYS[4..3+n]     decision keys  seckill:decided:{P}:<request id>, one per request
-- KEYS[4+n..]      reply lists    seckill:reply:<proxy id>, each named once
-- ARGV[1] product id   ARGV[2] reply list TTL ms   ARGV[3] decision retention ms   ARGV[4] n
-- then per request i: ARGV[4+4i-3..4+4i] = request id, user id, deadline (Unix ms),
--                     index of its reply list among the reply-list keys (1-based)
--
-- The deadline is judged on Redis's own clock (TIME), the one clock all logic processes share.
-- Returns the replies (JSON), in request order.

local product_id = ARGV[1]
local reply_ttl = ARGV[2]
local retention = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local first_reply_key = 4 + n

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local product = redis.call('HMGET', KEYS[1], 'left', 'start_ms', 'end_ms', 'per_user_limit',
  'enabled', 'sold', 'seq')
local exists = product[1] ~= false
local left = tonumber(product[1] or 0)
local start_ms = tonumber(product[2] or 0)
local end_ms = tonumber(product[3] or 0)
local limit = tonumber(product[4] or 1)
local enabled = product[5] ~= '0'
local sold = tonumber(product[6] or 0)
local seq = tonumber(product[7] or 0)
local sold_in_batch = 0

-- The rules, in order; returns the reply fields of one request.
local function decide(request_id, user)
  if not exists then return {code = 4004} end
  if not enabled then return {code = 1007} end
  if now < start_ms then return {code = 1003} end
  if now >= end_ms then return {code = 1004} end
  local held = redis.call('HGET', KEYS[2], user)
  if held then
    local count = 1
    for _ in string.gmatch(held, ',') do count = count + 1 end
    if count >= limit then
      return {code = 1002, order_id = string.match(held, '^[^,]+')}
    end
  end
  if left <= 0 then return {code = 1001, left = 0} end
  -- Stock deducted <=> order recorded: both happen in this script, or neither does.
  left = left - 1
  sold = sold + 1
  seq = seq + 1
  sold_in_batch = sold_in_batch + 1
  local order_id = product_id .. '-' .. seq
  redis.call('XADD', KEYS[3], '*', 'order_id', order_id, 'user_id', user,
    'request_id', request_id, 'time_ms', now)
  redis.call('HSET', KEYS[2], user, held and (held .. ',' .. order_id) or order_id)
  return {code = 0, order_id = order_id, left = left}
end

local replies = {}
local by_list = {}
for i = 1, n do
  local base = 4 + (i - 1) * 4
  local request_id = ARGV[base + 1]
  local deadline = tonumber(ARGV[base + 3])
  local decision_key = KEYS[3 + i]
  -- A redelivered request gets the answer it got the first time and changes nothing.
  local reply = redis.call('GET', decision_key)
  if not reply then
    local fields
    if now > deadline then
      -- Too late: the proxy has answered 5004 already. Time only moves on, so a redelivery
      -- would be too late as well: nothing to remember.
      fields = {code = 5004}
    else
      fields = decide(request_id, ARGV[base + 2])
    end
    fields.id = request_id
    reply = cjson.encode(fields)
    if now <= deadline then
      redis.call('SET', decision_key, reply, 'PX', deadline - now + retention)
    end
  end
  replies[i] = reply
  local list = tonumber(ARGV[base + 4])
  by_list[list] = by_list[list] or {}
  table.insert(by_list[list], reply)
end

if sold_in_batch > 0 then
  redis.call('HSET', KEYS[1], 'left', left, 'sold', sold, 'seq', seq)
end
for list, list_replies in pairs(by_list) do
  local key = KEYS[first_reply_key + list - 1]
  -- In slices: unpack() of a very long table would overflow Lua's C stack.
  for from = 1, #list_replies, 200 do
    redis.call('RPUSH', key, unpack(list_replies, from, math.min(from + 199, #list_replies)))
  end
  redis.call('PEXPIRE', key, reply_ttl)
end
return replies
