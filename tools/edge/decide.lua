-- The nginx + Lua reference's purchase, in one Redis script: the job seckill's decision script
-- does for one request (sale window, per-user limit, stock, decrement, buyer record, the order
-- appended to a stream). KEYS: product hash (left, limit, start_ms, end_ms), buyers hash
-- (user -> units), order stream. ARGV: user id. Returns {code, left or order id}.
local product = redis.call('HMGET', KEYS[1], 'left', 'limit', 'start_ms', 'end_ms')
if not product[1] then return {4004, 0} end
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if now_ms < tonumber(product[3]) then return {1003, 0} end
if now_ms >= tonumber(product[4]) then return {1004, 0} end
local bought = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if bought >= tonumber(product[2]) then return {1002, 0} end
local left = tonumber(product[1])
if left <= 0 then return {1001, 0} end
redis.call('HSET', KEYS[1], 'left', left - 1)
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
local order = redis.call('XADD', KEYS[3], '*', 'user', ARGV[1], 'units', 1)
return {0, order}
