-- A payment for an order (order_rules.lua is put in front of this file): the order is paid
-- when it still awaits payment and its pay-by time has not passed, judged here, on Redis's
-- clock, in the same script that would expire it, so a payment and an expiry never both win.
--
-- KEYS[1] the product's order records seckill:{g<N>}:order:<P>
-- ARGV: order id, payment id, amount (minor units), currency
-- Returns {outcome, state, version, detail}:
--   paid            applied: the order is paid
--   duplicate       this payment id was seen before: nothing changed; detail = its outcome then
--   refund_due      the order cannot take it (expired, cancelled, already paid, no payment
--                   step): recorded for the operator to refund, the order unchanged
--   mismatch        amount (price x units) or currency differ from the order's (detail names
--                   which, then the expected value): nothing recorded, nothing changed
--   unknown_order   no such order; payment_reused: the payment id paid another order

local group_prefix = string.match(KEYS[1], '^(seckill:{g%d+}:)order:%d+$')
if not group_prefix then return redis.error_reply('KEYS[1] is not an order record hash') end
local order_id, payment_id, amount, currency = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local keys = order_keys(group_prefix, order_id)
if not keys or keys.records ~= KEYS[1] then return {'unknown_order', '', 0, ''} end
touch(keys)
local record = parse_record(redis.call('HGET', keys.records, order_id))
if not record then return {'unknown_order', '', 0, ''} end

local seen = redis.call('HGET', keys.payments, payment_id)
if seen then
  local paid_order, outcome = string.match(seen, '^([^|]*)|([^|]*)')
  if paid_order ~= order_id then return {'payment_reused', record.state, record.version, paid_order} end
  return {'duplicate', record.state, record.version, outcome}
end

local product = redis.call('HMGET', keys.product, 'price', 'currency', 'rebuy_after_expiry')
local expected_currency = product[2] or ''
-- An order of several units costs their price each.
local expected_amount = string.format('%d', tonumber(product[1] or '0') * record.quantity)
if amount ~= expected_amount then
  return {'mismatch', record.state, record.version, 'amount ' .. expected_amount}
end
if currency ~= expected_currency then
  return {'mismatch', record.state, record.version, 'currency ' .. expected_currency}
end

local now = now_ms()
if record.state == 'pending_payment' and now >= record.pay_by then
  -- Its time is up: it expires now, exactly as the reaper would have expired it.
  transition(keys, order_id, record, 'expired', now)
  give_back_unit(keys, order_id, record, product[3] or '0')
  redis.call('HINCRBY', keys.product, 'expired', 1)
  redis.call('ZREM', keys.pending, order_id)
end

local outcome
if record.state == 'pending_payment' then
  outcome = 'paid'
  record.payment = payment_id
  transition(keys, order_id, record, 'paid', now, {'payment_id', payment_id, 'amount', amount})
  redis.call('ZREM', keys.pending, order_id)
  redis.call('HINCRBY', keys.product, 'paid', 1)
else
  outcome = 'refund_due'
  local event = {'XADD', keys.orders, '*', 'event', 'refund_due', 'order_id', order_id,
    'version', string.format('%d', record.version), 'user_id', record.user, 'state', record.state,
    'payment_id', payment_id, 'amount', amount, 'time_ms', string.format('%d', now)}
  redis.call(unpack(event))
  redis.call('HINCRBY', keys.product, 'refund_due', 1)
end
redis.call('HSET', keys.payments, payment_id, order_id .. '|' .. outcome .. '|' .. amount .. '|' ..
  currency .. '|' .. string.format('%d', now))
return {outcome, record.state, record.version, ''}
