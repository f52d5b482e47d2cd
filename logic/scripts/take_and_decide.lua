-- Takes up to ARGV[1] requests from the head of a group's queue (KEYS[1], seckill:{g<N>}:req)
-- and decides
-- them, in one atomic step: no crash can fall between taking a request and deciding it, and a
-- request needs no processing list and no round trip through the logic process. The rules
-- are decide_rules.lua's, which the build puts in front of this file.
--
-- ARGV[1] most requests to take  ARGV[2] reply list TTL ms  ARGV[3] decision retention ms
-- ARGV[4] the furthest a deadline may lie ahead of now, ms
-- ARGV[5] '1': push the replies onto their lists here; '0': return them for the caller to push
--         once WAIT has confirmed the decisions reached the replicas
--
-- Only messages in the exact form the proxy writes are read here (one pattern match each, far
-- cheaper than a JSON decoder, and ids stay text, so no user id loses digits to a Lua number).
-- The first message that is not stops the take: everything before it is decided, and it is
-- left at the head of the queue for the logic process, which decodes any JSON, decides what is
-- valid and dead-letters what is not. So does a message that must be refused (a deadline too
-- far ahead, a reply_to that is not a list): the logic process dead-letters it.
--
-- The messages are read with LRANGE and removed with LTRIM only once all are decided: if the
-- script fails half-way, they are still queued and are decided again, and decisions are
-- idempotent by request id.
--
-- Product keys are named here, from the requests, rather than passed in KEYS: they are the
-- group's keys (seckill:{g<N>}:product:<P> ...), in the queue's slot, so the script touches one
-- slot. A request for a product of another group finds no product there and gets 4004.
-- With ARGV[5] '1' the reply lists are checked and the replies pushed onto them from here,
-- which only a Redis that holds every slot allows; with '0' (a cluster, or WAIT first) they
-- leave the script, which then touches the group's slot only.
--
-- Returns {requests taken, 1 if it stopped at a message it cannot read else 0, {the code of
-- each request taken, grouped by product}, {replies not pushed: list, {replies}, list, ...}}.
local REQUEST = '^{"id":"([A-Za-z0-9%-_.:]+)","product_id":(%d+),"user_id":(%d+),' ..
  '"reply_to":"seckill:reply:{([A-Za-z0-9%-_.:]+)}","deadline_ms":(%d+)}$'
-- The same with the units of a purchase of more than one (Lua patterns have no optional part).
local REQUEST_OF_UNITS = '^{"id":"([A-Za-z0-9%-_.:]+)","product_id":(%d+),"user_id":(%d+),' ..
  '"quantity":(%d+),"reply_to":"seckill:reply:{([A-Za-z0-9%-_.:]+)}","deadline_ms":(%d+)}$'
-- The most units a purchase may ask for (kMaxPurchaseQuantity in common/wire.hpp).
local MAX_QUANTITY = 1000000

-- The fields of a request message as the proxy writes it, quantity as a number; nil otherwise.
local function read_request(message)
  local id, product, user, reply_name, deadline = string.match(message, REQUEST)
  if id then return id, product, user, reply_name, deadline, 1 end
  local quantity
  id, product, user, quantity, reply_name, deadline = string.match(message, REQUEST_OF_UNITS)
  if not id or #quantity > 7 or string.sub(quantity, 1, 1) == '0' then return nil end
  quantity = tonumber(quantity)
  if quantity > MAX_QUANTITY then return nil end
  return id, product, user, reply_name, deadline, quantity
end
local MAX_ID = '9223372036854775807'

-- Whether `text` (digits) is an id the proxy can send: 1 .. 2^63-1, no leading zero.
local function is_id(text)
  if string.sub(text, 1, 1) == '0' then return false end
  return #text < #MAX_ID or (#text == #MAX_ID and text <= MAX_ID)
end

local group = string.match(KEYS[1], '^(seckill:{g%d+}:)req$')
if not group then return redis.error_reply('KEYS[1] is not a group queue') end
local messages = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local batches, products = {}, {}
local taken, stopped = 0, 0
local now, time = redis_now()
local latest_allowed = now + tonumber(ARGV[4])
local usable_lists = {}
local push = ARGV[5] == '1'
for i = 1, #messages do
  local id, product, user, reply_name, deadline, quantity = read_request(messages[i])
  -- Deadlines are Unix ms (13 digits for centuries): 15 digits stay exact as a Lua number.
  local readable = id and #id <= 200 and #reply_name <= 64 and is_id(product) and is_id(user) and
    #deadline <= 15 and (deadline == '0' or string.sub(deadline, 1, 1) ~= '0') and
    not refused(tonumber(deadline), 'seckill:reply:{' .. reply_name .. '}', latest_allowed,
      usable_lists, push)
  if not readable then
    stopped = 1
    break
  end
  local batch = batches[product]
  if not batch then
    batch = new_batch()
    batches[product] = batch
    products[#products + 1] = product
  end
  -- The deadline's second is its text without the last three digits (integer division).
  local second = #deadline > 3 and string.sub(deadline, 1, -4) or '0'
  add_to_batch(batch, id, user, tonumber(deadline),
    group .. 'decided:' .. product .. ':' .. second, 'seckill:reply:{' .. reply_name .. '}',
    quantity)
  taken = i
end

local all_codes, unpushed = {}, {}
local result = {taken, stopped, all_codes, unpushed}
if taken == 0 then return result end
local held_back = {}  -- reply list -> replies, across products
for _, product in ipairs(products) do
  local keys = {product = group .. 'product:' .. product, buyers = group .. 'buyers:' .. product,
    orders = group .. 'orders:' .. product, rate = group .. 'rate:' .. product}
  local _, codes, by_list = decide_product(product, keys, batches[product], now, time, ARGV[2],
    tonumber(ARGV[3]), tonumber(ARGV[4]), usable_lists, push)
  for j = 1, #codes do all_codes[#all_codes + 1] = tonumber(codes[j]) end
  if not push then
    for list, list_replies in pairs(by_list) do
      local kept = list_in(held_back, list)
      for j = 1, #list_replies do kept[#kept + 1] = list_replies[j] end
    end
  end
end
for list, list_replies in pairs(held_back) do
  unpushed[#unpushed + 1] = list
  unpushed[#unpushed + 1] = list_replies
end
redis.call('LTRIM', KEYS[1], taken, -1)
return result
