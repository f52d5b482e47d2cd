-- /result: the orders a user holds of one product, with each order's record, in one round trip.
--
-- KEYS[1] the buyers hash seckill:{g<N>}:buyers:<P>; KEYS[2] its order records
-- seckill:{g<N>}:order:<P> (common/orders/order_rules.lua); ARGV[1] the user id.
-- Returns {order id, record, order id, record, ...} in the buyers hash's order; a record is ''
-- for an order bought before orders had records. Reads only.

local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then return {} end
local ids = {}
-- An entry is "<order id>" or "<order id>*<units>"; the record holds the units too.
for entry in string.gmatch(held, '[^,]+') do ids[#ids + 1] = string.match(entry, '^[^*]+') end
local out = {}
-- In slices: unpack() of a very long list would overflow Lua's C stack.
for from = 1, #ids, 200 do
  local last = math.min(from + 199, #ids)
  local records = redis.call('HMGET', KEYS[2], unpack(ids, from, last))
  for i = from, last do
    out[#out + 1] = ids[i]
    out[#out + 1] = records[i - from + 1] or ''
  end
end
return out
