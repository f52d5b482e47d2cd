-- Adds stock to a running sale: total and left grow together, so total == left + sold still
-- holds, and each addition is logged so the total stays explainable.
-- KEYS[1] product hash   KEYS[2] stock log stream seckill:{gN}:stock:P
-- ARGV[1] units to add (> 0)  ARGV[2] the largest total allowed (2^53 - 1: Lua numbers are
-- doubles, exact only that far)
-- Returns {total, left}, or an empty table when the product is unknown.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local before = tonumber(redis.call('HGET', KEYS[1], 'total') or '0')
if before + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  return redis.error_reply('ERR the total would pass ' .. ARGV[2] .. ' units, the most stored exactly')
end
local total = redis.call('HINCRBY', KEYS[1], 'total', ARGV[1])
local left = redis.call('HINCRBY', KEYS[1], 'left', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'added', ARGV[1])
redis.call('XADD', KEYS[2], '*', 'added', ARGV[1], 'total', total)
return {total, left}
