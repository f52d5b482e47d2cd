-- An order's life after its purchase, shared by the scripts that move it on (pay_order.lua,
-- cancel_order.lua, expire_orders.lua); the build puts this file in front of each of them.
--
-- Keys of product P in group N (one slot): the product hash seckill:{gN}:product:P, the buyers
-- hash seckill:{gN}:buyers:P (user -> comma-separated order ids, "<id>*<units>" for an order of
-- more than one unit), the order stream
-- seckill:{gN}:orders:P, the order records seckill:{gN}:order:P (order id -> record), the
-- payments seckill:{gN}:payments:P (payment id -> order id|outcome), and the group's index of
-- orders awaiting payment seckill:{gN}:pending (order id, scored by its pay-by Unix ms).
--
-- A record is "state|version|user|pay_by_ms|payment_id", and "|units" after it for an order of
-- more than one unit (payment ids never hold a '|'). States: pending_payment, paid,
-- expired, cancelled, confirmed (bought where the product has no payment step: final). Every
-- transition raises the version and appends an event to the order stream, in the same script.

local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- The keys of an order, from its id ("<product>-<seq>") and the group's prefix; nil when the id
-- is not an order id.
local function order_keys(group_prefix, order_id)
  local product = string.match(order_id, '^([1-9]%d*)%-[1-9]%d*$')
  if not product then return nil end
  return {
    id = product,
    product = group_prefix .. 'product:' .. product,
    buyers = group_prefix .. 'buyers:' .. product,
    orders = group_prefix .. 'orders:' .. product,
    records = group_prefix .. 'order:' .. product,
    payments = group_prefix .. 'payments:' .. product,
    pending = group_prefix .. 'pending',
  }
end

-- Touches every key an order's transition may write, before the first write: in a Redis Cluster
-- slot being migrated a key that has moved stops the script where it is touched, and Redis
-- rolls nothing back (see decide_rules.lua).
local function touch(keys)
  redis.call('EXISTS', keys.product, keys.buyers, keys.orders, keys.records, keys.payments,
    keys.pending)
end

local function parse_record(text)
  if not text then return nil end
  local state, version, user, pay_by, payment, quantity =
    string.match(text, '^([a-z_]+)|(%d+)|(%d+)|(%d+)|([^|]*)|?(%d*)$')
  if not state then return nil end
  return {state = state, version = tonumber(version), user = user, pay_by = tonumber(pay_by),
    payment = payment, quantity = tonumber(quantity) or 1}
end

local function format_record(record)
  return record.state .. '|' .. string.format('%d', record.version) .. '|' .. record.user .. '|' ..
    string.format('%d', record.pay_by) .. '|' .. record.payment ..
    (record.quantity == 1 and '' or ('|' .. string.format('%d', record.quantity)))
end

-- Moves `record` of `order_id` to `state` and appends the event (with `extra` field/value
-- pairs) to the order stream. Nothing is read here: callers have touched every key already.
local function transition(keys, order_id, record, state, now, extra)
  record.state = state
  record.version = record.version + 1
  redis.call('HSET', keys.records, order_id, format_record(record))
  local event = {'XADD', keys.orders, '*', 'event', state, 'order_id', order_id, 'version',
    string.format('%d', record.version), 'user_id', record.user, 'time_ms',
    string.format('%d', now)}
  for i = 1, #(extra or {}) do event[#event + 1] = extra[i] end
  redis.call(unpack(event))
end

-- The units of a pending order that ends unpaid go back on sale. Unless the product lets the
-- buyer buy again, the order keeps its place in the buyers hash: it has used the buyer's turn.
local function give_back_unit(keys, order_id, record, rebuy)
  redis.call('HINCRBY', keys.product, 'left', record.quantity)
  redis.call('HINCRBY', keys.product, 'sold', -record.quantity)
  redis.call('HINCRBY', keys.product, 'returned', record.quantity)
  if rebuy ~= '1' then return end
  local held = redis.call('HGET', keys.buyers, record.user)
  if not held then return end
  local kept = {}
  for entry in string.gmatch(held, '[^,]+') do
    if string.match(entry, '^[^*]+') ~= order_id then kept[#kept + 1] = entry end
  end
  if #kept == 0 then
    redis.call('HDEL', keys.buyers, record.user)
  else
    redis.call('HSET', keys.buyers, record.user, table.concat(kept, ','))
  end
end
