-- Starts a product's sale over: every order, buyer and payment record is deleted and the stock
-- refilled. The order sequence is kept, so order ids stay unique across resets.
--
-- KEYS[1] product hash   KEYS[2] buyers hash   KEYS[3] order stream   KEYS[4] order records
-- KEYS[5] payments       KEYS[6] the group's index of orders awaiting payment
-- Returns the stock left afterwards, or -1 for an unknown product.

local total = redis.call('HGET', KEYS[1], 'total')
if not total then
  return -1
end
-- The product's orders leave the group's pending index (it holds other products' too).
local cursor = '0'
repeat
  local page = redis.call('HSCAN', KEYS[4], cursor, 'COUNT', 1000)
  cursor = page[1]
  local ids = {}
  for i = 1, #page[2], 2 do ids[#ids + 1] = page[2][i] end
  if #ids > 0 then redis.call('ZREM', KEYS[6], unpack(ids)) end
until cursor == '0'
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('HSET', KEYS[1], 'left', total, 'sold', 0, 'paid', 0, 'expired', 0, 'cancelled', 0,
  'returned', 0, 'refund_due', 0, 'trimmed', 0, 'trimmed_created', 0)
return tonumber(total)
