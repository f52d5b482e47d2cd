-- The reaper's step for one group: orders whose pay-by time has passed unpaid expire, and
-- their units go back on sale (order_rules.lua is put in front of this file).
--
-- KEYS[1] the group's pending index seckill:{g<N>}:pending; ARGV[1] at most this many orders.
-- Returns {expired, more}: how many expired, and 1 when more are due (the caller goes again).
-- Atomic: killed anywhere around it, an order has expired entirely or not at all; an order that
-- was paid or cancelled meanwhile has left the index already, and is never expired.

local group_prefix = string.match(KEYS[1], '^(seckill:{g%d+}:)pending$')
if not group_prefix then return redis.error_reply('KEYS[1] is not a pending index') end
local limit = tonumber(ARGV[1])
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)

-- Read everything first (see touch()), then write.
local work = {}
local rebuy_of = {}
for i = 1, #due do
  local order_id = due[i]
  local keys = order_keys(group_prefix, order_id)
  if keys then
    touch(keys)
    if rebuy_of[keys.id] == nil then
      rebuy_of[keys.id] = redis.call('HGET', keys.product, 'rebuy_after_expiry') or '0'
    end
    local record = parse_record(redis.call('HGET', keys.records, order_id))
    work[#work + 1] = {order_id = order_id, keys = keys, record = record}
  else
    work[#work + 1] = {order_id = order_id}
  end
end

local expired = 0
for _, item in ipairs(work) do
  local record = item.record
  if record and record.state == 'pending_payment' and record.pay_by <= now then
    transition(item.keys, item.order_id, record, 'expired', now)
    give_back_unit(item.keys, item.order_id, record, rebuy_of[item.keys.id])
    redis.call('HINCRBY', item.keys.product, 'expired', 1)
    expired = expired + 1
    redis.call('ZREM', KEYS[1], item.order_id)
  elseif not (record and record.state == 'pending_payment') then
    -- Paid, cancelled, or not an order at all: nothing to wait for.
    redis.call('ZREM', KEYS[1], item.order_id)
  end
end
return {expired, #due == limit and 1 or 0}
