-- Starts a product's sale over: every order and buyer record is deleted and the stock refilled.
-- The order sequence is kept, so order ids stay unique across resets.
--
-- KEYS[1] product hash   KEYS[2] buyers hash   KEYS[3] order stream
-- Returns the stock left afterwards, or -1 for an unknown product.

local total = redis.call('HGET', KEYS[1], 'total')
if not total then
  return -1
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'left', total, 'sold', 0)
return tonumber(total)
