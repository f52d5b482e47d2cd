-- The purchase rules, shared by decide.lua (requests given as arguments) and
-- take_and_decide.lua (requests read from the queue itself). The build puts this file in front
-- of each of them: Redis scripts cannot call one another.
--
-- decide_product() decides a batch of requests for ONE product, atomically and in arrival
-- order. Redis runs a script to the end before anything else, so every rule is checked and
-- applied per request exactly as if the requests had come one by one, while the per-call costs
-- (reading the product, pushing replies, setting expiries) are paid once per batch.
--
-- Keys of a product P in group N (all under the group's tag, so in one slot): the product hash
-- seckill:{gN}:product:P (total left sold seq start_ms end_ms ...), the buyers hash
-- seckill:{gN}:buyers:P (user id -> comma-separated order ids, each "<id>*<units>" when the order
-- is of more than one unit), the order stream
-- seckill:{gN}:orders:P (order_id user_id request_id quantity time_ms), the sales counter
-- seckill:{gN}:rate:P (second, sold in that second: max_per_second), and the decision hashes
-- seckill:{gN}:decided:P:<deadline second> (request id -> the reply given); for a sale with a
-- reservation, read only, its list seckill:{gN}:reserved:P or its winners seckill:{gN}:drawn:P.
--
-- Request ids and reply lists are checked before they get here (letters, digits, - _ . :), so a
-- reply is built by concatenation, without a JSON encoder. The deadline is judged on Redis's
-- own clock (TIME), the one clock all logic processes share.

-- Hot loops below avoid table.insert and a table per order: measured on batches of 64
-- purchases, 6.8 -> 6.4 us of script time per request (tools/bench-decide.sh).

-- Lua 5.1 turns a number into text with "%.14g", glibc's slow floating-point path; integers
-- written per purchase go through "%d" instead.
local function digits(number)
  return string.format('%d', number)
end

-- The current time from Redis: {ms as a number, the TIME reply} (the reply seeds the draw).
local function redis_now()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000), time
end

-- In slices: unpack() of a very long table would overflow Lua's C stack. Even, so HSET's
-- field/value pairs are never split.
local SLICE = 200

local function call_in_slices(command, key, values)
  for from = 1, #values, SLICE do
    redis.call(command, key, unpack(values, from, math.min(from + SLICE - 1, #values)))
  end
end

-- HMGET of `fields` (any number of them); the values, in the same order.
local function hmget_in_slices(key, fields)
  local values = {}
  for from = 1, #fields, SLICE do
    local last = math.min(from + SLICE - 1, #fields)
    local got = redis.call('HMGET', key, unpack(fields, from, last))
    for j = 1, #got do values[from + j - 1] = got[j] end
  end
  return values
end

-- The list kept under `key` in `lists`, created on first use.
local function list_in(lists, key)
  local list = lists[key]
  if not list then
    list = {}
    lists[key] = list
  end
  return list
end

-- `code` is text ('1001'), so building a reply never formats a number.
local function reply_of(request_id, code, extra)
  return '{"id":"' .. request_id .. '","code":' .. code .. (extra or '') .. '}'
end

-- A new batch for decide_product(): parallel arrays, one entry per request, in arrival order.
local function new_batch()
  return {n = 0, ids = {}, users = {}, deadlines = {}, decision_keys = {}, reply_keys = {},
    quantities = {}}
end

-- `quantity`: the units the request buys at once, all or nothing.
local function add_to_batch(batch, id, user, deadline, decision_key, reply_key, quantity)
  local i = batch.n + 1
  batch.n = i
  batch.ids[i] = id
  batch.users[i] = user
  batch.deadlines[i] = deadline
  batch.decision_keys[i] = decision_key
  batch.reply_keys[i] = reply_key
  batch.quantities[i] = quantity
end

-- The units a buyers-hash value holds: each order counts one, or the <units> of "<id>*<units>".
local function units_held(held)
  if not string.find(held, '*', 1, true) then
    local count = 1
    for _ in string.gmatch(held, ',') do count = count + 1 end
    return count
  end
  local units = 0
  for entry in string.gmatch(held, '[^,]+') do
    units = units + (tonumber(string.match(entry, '%*(%d+)$')) or 1)
  end
  return units
end

-- Whether `key` can take a reply: a list, or nothing yet. Anything else would make the RPUSH
-- at the end fail after the batch's orders were written, and Redis rolls nothing back.
local function can_take_replies(key)
  local kind = redis.call('TYPE', key)['ok']
  return kind == 'list' or kind == 'none'
end

-- Whether a request must be refused without a decision: its reply list cannot take a reply
-- (`usable_lists` caches the answer per key; only checked when `check_lists`: the list is
-- pushed here, so on the one Redis that holds every slot), or its deadline lies further ahead
-- than any proxy sets one (`latest_deadline` ms): such a decision would be remembered that long.
local function refused(deadline, reply_key, latest_deadline, usable_lists, check_lists)
  if deadline > latest_deadline then return true end
  if not check_lists then return false end
  local usable = usable_lists[reply_key]
  if usable == nil then
    usable = can_take_replies(reply_key)
    usable_lists[reply_key] = usable
  end
  return not usable
end

-- Decides `batch` (see new_batch) for product `product_id` (text) whose keys are `keys`
-- ({product, buyers, orders, rate}), at `now` (ms; `time` is the TIME reply it came from).
-- Pushes each reply onto its reply list (expiring after `reply_ttl` ms) and remembers each
-- decision for `retention` ms past its deadline. A request refused (see refused(); deadline
-- more than `max_ahead` ms from now) is not decided and gets code 4000, pushed nowhere.
-- `usable_lists` (optional) holds what is known already of which reply lists can take replies.
-- With `push` false the reply lists are neither checked nor pushed here: the logic process
-- pushes the replies (once WAIT has confirmed the decisions reached the replicas, with
-- redis.ack_replicas), so the script touches the group's slot only.
-- Returns the replies, their codes (text), and the replies by reply list.
local function decide_product(product_id, keys, batch, now, time, reply_ttl, retention, max_ahead,
    usable_lists, push)
  local n = batch.n
  local product = redis.call('HMGET', keys.product, 'left', 'start_ms', 'end_ms',
    'per_user_limit', 'enabled', 'sold', 'seq', 'max_per_second', 'buy_rate', 'pay_within_s',
    'reservation_closes_ms', 'reservation_draw', 'draw_seed')
  local exists = product[1] ~= false
  local left = tonumber(product[1] or 0)
  local start_ms = tonumber(product[2] or 0)
  local end_ms = tonumber(product[3] or 0)
  local limit = tonumber(product[4] or 1)
  local enabled = product[5] ~= '0'
  local sold = tonumber(product[6] or 0)
  local seq = tonumber(product[7] or 0)
  local max_per_second = tonumber(product[8] or 0)
  local buy_rate = tonumber(product[9] or 1)
  -- A product loaded before orders had a payment step has no pay_within_s: its orders are
  -- final, as they were when it was loaded.
  local pay_within_ms = tonumber(product[10] or 0) * 1000
  local now_text = digits(now)
  -- The order records and the group's index of orders awaiting payment (order_rules.lua).
  local group_prefix = string.match(keys.product, '^(.-)product:')
  local records_key = group_prefix .. 'order:' .. product_id
  local pending_key = group_prefix .. 'pending'
  -- A sale with a reservation sells to its list only: the users who reserved or, with a draw,
  -- the users drawn (common/reservation). Until the draw is made nobody can buy: 5003, try
  -- again (the logic tier makes it the moment the reservation closes).
  local reservation_draw = tonumber(product[12] or 0)
  local list_key = nil
  if tonumber(product[11] or 0) > 0 then
    list_key = group_prefix .. (reservation_draw > 0 and 'drawn:' or 'reserved:') .. product_id
  end
  local draw_pending = list_key ~= nil and reservation_draw > 0 and not product[13]

  -- Units sold in the current second, for max_per_second (0: no cap).
  local this_second = math.floor(now / 1000)
  local sold_this_second = 0
  if max_per_second > 0 then
    local rate = redis.call('HMGET', keys.rate, 'second', 'sold')
    if tonumber(rate[1] or -1) == this_second then sold_this_second = tonumber(rate[2] or 0) end
  end

  -- The buy-rate draw: Redis gives every script run the same math.random sequence, so draw
  -- from a hash of the request id and the time instead (uniform enough, and different per
  -- request).
  local function wins_draw(request_id)
    if buy_rate >= 1 then return true end
    if buy_rate <= 0 then return false end
    local digest = redis.sha1hex(request_id .. ':' .. time[1] .. time[2])
    return tonumber(string.sub(digest, 1, 8), 16) / 4294967296 < buy_rate
  end

  -- Every key written below is touched before the first write: in a Redis Cluster slot that is
  -- being migrated, a key that is not (or no longer) on this node stops the script when it is
  -- touched, and Redis rolls nothing back, so it must stop here, while nothing is written. The
  -- product, buyers, sales counter and decision hashes are read anyway; the order stream, the
  -- order records and the pending index are only ever added to, so they get a probe of their own.
  -- A Redis that holds every slot (`push`: it takes the replies too) migrates none: no probe.
  if not push then redis.call('EXISTS', keys.orders, records_key, pending_key) end

  -- What the batch reads, read once: the orders its users already hold (one HMGET), then,
  -- below, the decisions already taken for its request ids (one HMGET per decision hash).
  -- Writes are gathered the same way and made at the end. The script is atomic, so reading and
  -- writing once per batch is the same as once per request, at a fraction of the calls.
  local held_by_user = {}
  local listed = {}  -- user id -> on the list (read only for a sale with a reservation)
  do
    local users, seen = {}, {}
    for i = 1, n do
      local user = batch.users[i]
      if not seen[user] then
        seen[user] = true
        users[#users + 1] = user
      end
    end
    local held = hmget_in_slices(keys.buyers, users)
    for j = 1, #users do held_by_user[users[j]] = held[j] end
    if list_key and not draw_pending then
      for from = 1, #users, SLICE do
        local last = math.min(from + SLICE - 1, #users)
        local on_list = redis.call('SMISMEMBER', list_key, unpack(users, from, last))
        for j = from, last do listed[users[j]] = on_list[j - from + 1] == 1 end
      end
    end
  end

  local changed_users = {}
  local new_orders = {}  -- flat: order id, user id, request id, quantity, order id, ...

  -- The rules, in order; returns the code and the reply of one request for `quantity` units.
  local function decide(request_id, user, quantity)
    if not exists then return '4004', reply_of(request_id, '4004') end
    if not enabled then return '1007', reply_of(request_id, '1007') end
    if now < start_ms then return '1003', reply_of(request_id, '1003') end
    if now >= end_ms then return '1004', reply_of(request_id, '1004') end
    if list_key then
      if draw_pending then return '5003', reply_of(request_id, '5003') end
      if not listed[user] then return '1008', reply_of(request_id, '1008') end
    end
    local held = held_by_user[user]
    if (held and units_held(held) or 0) + quantity > limit then
      if not held then return '1002', reply_of(request_id, '1002') end
      return '1002',
        reply_of(request_id, '1002', ',"order_id":"' .. string.match(held, '^[^,*]+') .. '"')
    end
    -- All or nothing: fewer units left than asked for is sold out for this request, and the
    -- reply says how many are left.
    if left < quantity then
      return '1001', reply_of(request_id, '1001', ',"left":' .. digits(math.max(left, 0)))
    end
    if max_per_second > 0 and sold_this_second >= max_per_second then
      return '1005', reply_of(request_id, '1005')
    end
    if not wins_draw(request_id) then
      return '1005', reply_of(request_id, '1005', ',"lost_draw":1')
    end
    -- Stock deducted <=> order recorded: both are written below, in this same script.
    left = left - quantity
    sold = sold + quantity
    seq = seq + 1
    sold_this_second = sold_this_second + quantity
    local order_id = product_id .. '-' .. digits(seq)
    local entry = quantity == 1 and order_id or (order_id .. '*' .. digits(quantity))
    held_by_user[user] = held and (held .. ',' .. entry) or entry
    changed_users[user] = true
    local k = #new_orders
    new_orders[k + 1] = order_id
    new_orders[k + 2] = user
    new_orders[k + 3] = request_id
    new_orders[k + 4] = quantity
    return '0', '{"id":"' .. request_id .. '","code":0,"order_id":"' .. order_id ..
      '","left":' .. digits(left) .. '}'
  end

  -- Decisions already taken (a redelivered request), per decision hash.
  local ids_by_hash = {}
  for i = 1, n do
    local ids = list_in(ids_by_hash, batch.decision_keys[i])
    ids[#ids + 1] = batch.ids[i]
  end
  local earlier = {}
  for hash, ids in pairs(ids_by_hash) do
    local found = hmget_in_slices(hash, ids)
    for j = 1, #ids do
      if found[j] then earlier[ids[j]] = found[j] end
    end
  end

  local replies = {}
  local codes = {}
  local by_list = {}
  local new_decisions = {}
  local latest_deadline = {}
  usable_lists = usable_lists or {}
  local latest_allowed = now + max_ahead
  for i = 1, n do
    local request_id = batch.ids[i]
    local deadline = batch.deadlines[i]
    local hash = batch.decision_keys[i]
    local reply_key = batch.reply_keys[i]
    -- A redelivered request gets the answer it got the first time and changes nothing.
    local reply = earlier[request_id]
    local code
    if refused(deadline, reply_key, latest_allowed, usable_lists, push) then
      code, reply, reply_key = '4000', reply_of(request_id, '4000'), nil
    elseif reply then
      code = string.match(reply, '"code":(%d+)')
    elseif now > deadline then
      -- Too late: the proxy has answered 5004 already. Time only moves on, so a redelivery
      -- would be too late as well: nothing to remember.
      code, reply = '5004', reply_of(request_id, '5004')
    else
      code, reply = decide(request_id, batch.users[i], batch.quantities[i] or 1)
      -- Also stops a request id that appears twice in one batch from buying twice.
      earlier[request_id] = reply
      local list = list_in(new_decisions, hash)
      list[#list + 1] = request_id
      list[#list + 1] = reply
      if not latest_deadline[hash] or deadline > latest_deadline[hash] then
        latest_deadline[hash] = deadline
      end
    end
    replies[i] = reply
    codes[i] = code
    if reply_key then
      local for_list = list_in(by_list, reply_key)
      for_list[#for_list + 1] = reply
    end
  end

  if #new_orders > 0 then
    redis.call('HSET', keys.product, 'left', left, 'sold', sold, 'seq', seq)
    if max_per_second > 0 then
      redis.call('HSET', keys.rate, 'second', this_second, 'sold', sold_this_second)
    end
    local buyers = {}
    for user in pairs(changed_users) do
      buyers[#buyers + 1] = user
      buyers[#buyers + 1] = held_by_user[user]
    end
    call_in_slices('HSET', keys.buyers, buyers)
    -- Each order starts its life at version 1: awaiting payment until its pay-by time, or
    -- final at once when the product has no payment step.
    local state = pay_within_ms > 0 and 'pending_payment' or 'confirmed'
    local pay_by_text = pay_within_ms > 0 and digits(now + pay_within_ms) or '0'
    local records, due = {}, {}
    local orders_key = keys.orders
    for k = 1, #new_orders, 4 do
      local order_id = new_orders[k]
      local quantity = digits(new_orders[k + 3])
      records[#records + 1] = order_id
      -- The record of a one-unit order keeps its five fields (order_rules.lua).
      records[#records + 1] = state .. '|1|' .. new_orders[k + 1] .. '|' .. pay_by_text .. '|' ..
        (quantity == '1' and '' or ('|' .. quantity))
      if pay_within_ms > 0 then
        due[#due + 1] = pay_by_text
        due[#due + 1] = order_id
      end
      redis.call('XADD', orders_key, '*', 'event', 'created', 'order_id', order_id, 'version',
        '1', 'state', state, 'user_id', new_orders[k + 1], 'request_id', new_orders[k + 2],
        'quantity', quantity, 'pay_by_ms', pay_by_text, 'time_ms', now_text)
    end
    call_in_slices('HSET', records_key, records)
    if #due > 0 then call_in_slices('ZADD', pending_key, due) end
  end

  -- A decision hash lives until the retention has passed for every deadline it can hold: all
  -- fall in one second (its name's), so the time is the same for every batch that writes it,
  -- and the first sets it (NX): one call, not a read of the expiry and a write.
  for hash, pairs_list in pairs(new_decisions) do
    call_in_slices('HSET', hash, pairs_list)
    local second_ends = (math.floor(latest_deadline[hash] / 1000) + 1) * 1000
    redis.call('PEXPIREAT', hash, digits(second_ends + retention), 'NX')
  end
  if push then
    for list, list_replies in pairs(by_list) do
      call_in_slices('RPUSH', list, list_replies)
      redis.call('PEXPIRE', list, reply_ttl)
    end
  end
  return replies, codes, by_list
end
