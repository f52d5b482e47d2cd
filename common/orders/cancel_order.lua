-- Cancels an order that awaits payment (order_rules.lua is put in front of this file): its unit
-- goes back on sale. A paid, expired or final order is left as it is.
--
-- KEYS[1] the product's order records seckill:{g<N>}:order:<P>; ARGV[1] the order id
-- Returns {outcome, state, version}: cancelled, not_pending (the order's state says why), or
-- unknown_order.

local group_prefix = string.match(KEYS[1], '^(seckill:{g%d+}:)order:%d+$')
if not group_prefix then return redis.error_reply('KEYS[1] is not an order record hash') end
local order_id = ARGV[1]
local keys = order_keys(group_prefix, order_id)
if not keys or keys.records ~= KEYS[1] then return {'unknown_order', '', 0} end
touch(keys)
local record = parse_record(redis.call('HGET', keys.records, order_id))
if not record then return {'unknown_order', '', 0} end
if record.state ~= 'pending_payment' then return {'not_pending', record.state, record.version} end
local rebuy = redis.call('HGET', keys.product, 'rebuy_after_expiry') or '0'
local now = now_ms()
-- Past its pay-by time the order has expired, whether or not the reaper has come by yet.
local ending = now >= record.pay_by and 'expired' or 'cancelled'
transition(keys, order_id, record, ending, now)
give_back_unit(keys, order_id, record, rebuy)
redis.call('HINCRBY', keys.product, ending, 1)
redis.call('ZREM', keys.pending, order_id)
if ending == 'expired' then return {'not_pending', record.state, record.version} end
return {'cancelled', record.state, record.version}
