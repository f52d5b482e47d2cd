-- Creates or updates one product without ever resetting what was sold.
--
-- KEYS[1] product hash (the caller then lists the product in the directory, which lives under
-- another tag: a script may touch one slot only)
-- ARGV: id, name, total, start_ms, end_ms, per_user_limit, max_per_second, buy_rate, enabled,
-- price, currency, pay_within_s, rebuy_after_expiry (1 or 0)
-- The new stock left is total - sold; a total below what is already sold is raised to sold (the
-- stock is gone, it cannot be un-sold). Returns {total, left, sold}.

local sold = tonumber(redis.call('HGET', KEYS[1], 'sold') or '0')
local total = tonumber(ARGV[3])
if total < sold then
  total = sold
end
redis.call('HSET', KEYS[1],
  'id', ARGV[1], 'name', ARGV[2], 'total', total, 'left', total - sold, 'sold', sold,
  'start_ms', ARGV[4], 'end_ms', ARGV[5], 'per_user_limit', ARGV[6], 'max_per_second', ARGV[7],
  'buy_rate', ARGV[8], 'enabled', ARGV[9], 'price', ARGV[10], 'currency', ARGV[11],
  'pay_within_s', ARGV[12], 'rebuy_after_expiry', ARGV[13])
redis.call('HSETNX', KEYS[1], 'seq', 0)
return {total, total - sold, sold}
