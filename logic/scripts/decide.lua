-- Decides a batch of purchase requests for ONE product, given as arguments (decide_rules.lua,
-- which the build puts in front of this file, holds the rules and the keys they use).
--
-- KEYS[1]   product hash   seckill:{g<N>}:product:<P>
-- KEYS[2]   buyers hash    seckill:{g<N>}:buyers:<P>
-- KEYS[3]   order stream   seckill:{g<N>}:orders:<P>
-- KEYS[4]   sales counter  seckill:{g<N>}:rate:<P>
-- KEYS[5..] decision hashes seckill:{g<N>}:decided:<P>:<deadline second>, each named once
-- (every key in the group's slot: the reply lists, under the proxies' tags, are not keys here)
-- ARGV[1] product id  ARGV[2] reply list TTL ms  ARGV[3] decision retention ms  ARGV[4] n
-- ARGV[5] how many decision hashes (d)
-- ARGV[6] the furthest a deadline may lie ahead of now, ms (further: refused, code 4000)
-- ARGV[7] '1': check the reply lists and push the replies onto them here (a Redis that holds
--         every slot); '0': leave both to the caller (after WAIT, or on a cluster)
-- ARGV[8] how many reply lists (r); ARGV[9..8+r] their names, seckill:reply:{<proxy id>}
-- then per request i, 6 values: request id, user id, deadline (Unix ms), index of its decision
-- hash (1-based), index of its reply list (1-based), units asked for (quantity)
--
-- Returns the replies, in order.
local n = tonumber(ARGV[4])
local lists = tonumber(ARGV[8])

-- Each index names a key; turned into the key once per index, not once per request.
local function name_at(cache, names, first, index_text)
  local name = cache[index_text]
  if not name then
    name = names[first + tonumber(index_text) - 1]
    cache[index_text] = name
  end
  return name
end

local batch = new_batch()
local decision_keys, reply_keys = {}, {}
for i = 1, n do
  local base = 8 + lists + (i - 1) * 6
  add_to_batch(batch, ARGV[base + 1], ARGV[base + 2], tonumber(ARGV[base + 3]),
    name_at(decision_keys, KEYS, 5, ARGV[base + 4]), name_at(reply_keys, ARGV, 9, ARGV[base + 5]),
    tonumber(ARGV[base + 6]))
end

local now, time = redis_now()
local keys = {product = KEYS[1], buyers = KEYS[2], orders = KEYS[3], rate = KEYS[4]}
local replies = decide_product(ARGV[1], keys, batch, now, time, ARGV[2], tonumber(ARGV[3]),
  tonumber(ARGV[6]), nil, ARGV[7] == '1')
return replies
