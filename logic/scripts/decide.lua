-- Decides one purchase request, atomically: Redis runs a script to the end before anything else.
--
-- KEYS[1] product hash      seckill:product:{P}   total, left, sold, seq, start_ms, end_ms, ...
-- KEYS[2] buyers hash       seckill:buyers:{P}    user id -> comma-separated order ids
-- KEYS[3] order stream      seckill:orders:{P}    order_id, user_id, request_id, time_ms
-- KEYS[4] decision key      seckill:decided:{P}:<request id>   the reply, for redelivery
-- KEYS[5] reply list        seckill:reply:<proxy id>
-- ARGV[1] request id   ARGV[2] user id   ARGV[3] deadline (Unix ms)   ARGV[4] reply list TTL ms
-- ARGV[5] how long to remember a decision after its deadline, ms      ARGV[6] product id
--
-- The deadline is judged on Redis's own clock (TIME), the one clock every logic process shares.
-- Returns the reply JSON it pushed.

local request_id = ARGV[1]
local user = ARGV[2]

local function push(reply)
  redis.call('RPUSH', KEYS[5], reply)
  redis.call('PEXPIRE', KEYS[5], ARGV[4])
  return reply
end

local function answer(fields, remember_ms)
  fields.id = request_id
  local reply = cjson.encode(fields)
  if remember_ms > 0 then
    redis.call('SET', KEYS[4], reply, 'PX', remember_ms)
  end
  return push(reply)
end

-- A redelivered request gets the answer it got the first time and changes nothing.
local earlier = redis.call('GET', KEYS[4])
if earlier then
  return push(earlier)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local deadline = tonumber(ARGV[3])
if now > deadline then
  -- Too late: the proxy has answered 5004 already. Time only moves on, so a redelivery would be
  -- too late as well; there is nothing to remember.
  return answer({code = 5004}, 0)
end
local remember = deadline - now + tonumber(ARGV[5])

local product = redis.call('HMGET', KEYS[1], 'left', 'start_ms', 'end_ms', 'per_user_limit',
  'enabled')
if not product[1] then
  return answer({code = 4004}, remember)
end
if product[5] == '0' then
  return answer({code = 1007}, remember)
end
if now < tonumber(product[2]) then
  return answer({code = 1003}, remember)
end
if now >= tonumber(product[3]) then
  return answer({code = 1004}, remember)
end

local held = redis.call('HGET', KEYS[2], user)
if held then
  local count = 1
  for _ in string.gmatch(held, ',') do
    count = count + 1
  end
  if count >= tonumber(product[4]) then
    local first = string.match(held, '^[^,]+')
    return answer({code = 1002, order_id = first}, remember)
  end
end

if tonumber(product[1]) <= 0 then
  return answer({code = 1001, left = 0}, remember)
end

-- Stock deducted <=> order recorded: both happen here, in one script, or neither does.
local left = redis.call('HINCRBY', KEYS[1], 'left', -1)
redis.call('HINCRBY', KEYS[1], 'sold', 1)
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local order_id = ARGV[6] .. '-' .. seq
redis.call('XADD', KEYS[3], '*', 'order_id', order_id, 'user_id', user, 'request_id', request_id,
  'time_ms', now)
if held then
  redis.call('HSET', KEYS[2], user, held .. ',' .. order_id)
else
  redis.call('HSET', KEYS[2], user, order_id)
end
return answer({code = 0, order_id = order_id, left = left}, remember)
