-- Decides a batch of purchase requests for ONE product, given as arguments (decide_rules.lua,
-- which the build puts in front of this file, holds the rules and the keys they use).
--
-- KEYS[1]   product hash   seckill:{g<N>}:product:<P>
-- KEYS[2]   buyers hash    seckill:{g<N>}:buyers:<P>
-- KEYS[3]   order stream   seckill:{g<N>}:orders:<P>
-- KEYS[4]   sales counter  seckill:{g<N>}:rate:<P>
-- KEYS[5..] decision hashes seckill:{g<N>}:decided:<P>:<deadline second>, then reply lists
--           seckill:reply:{<proxy id>}; each named once (with ARGV[7] '0' the reply lists are
--           only checked here, and written by the caller)
-- ARGV[1] product id  ARGV[2] reply list TTL ms  ARGV[3] decision retention ms  ARGV[4] n
-- ARGV[5] how many decision hashes (d); KEYS[5..4+d] are those, KEYS[5+d..] the reply lists
-- ARGV[6] the furthest a deadline may lie ahead of now, ms (further: refused, code 4000)
-- ARGV[7] '1': push the replies onto their lists here; '0': leave that to the caller (after WAIT)
-- then per request i, 5 values: request id, user id, deadline (Unix ms), index of its decision
-- hash (1-based), index of its reply list (1-based)
--
-- Returns the replies, in order.
local n = tonumber(ARGV[4])
local first_reply_key = 5 + tonumber(ARGV[5])

-- Each index names a key; turned into the key once per index, not once per request.
local function key_at(cache, first, index_text)
  local key = cache[index_text]
  if not key then
    key = KEYS[first + tonumber(index_text) - 1]
    cache[index_text] = key
  end
  return key
end

local batch = new_batch()
local decision_keys, reply_keys = {}, {}
for i = 1, n do
  local base = 7 + (i - 1) * 5
  add_to_batch(batch, ARGV[base + 1], ARGV[base + 2], tonumber(ARGV[base + 3]),
    key_at(decision_keys, 5, ARGV[base + 4]), key_at(reply_keys, first_reply_key, ARGV[base + 5]))
end

local now, time = redis_now()
local keys = {product = KEYS[1], buyers = KEYS[2], orders = KEYS[3], rate = KEYS[4]}
local replies = decide_product(ARGV[1], keys, batch, now, time, ARGV[2], tonumber(ARGV[3]),
  tonumber(ARGV[6]), nil, ARGV[7] == '1')
return replies
