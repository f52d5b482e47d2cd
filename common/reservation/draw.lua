-- Makes a product's reservation draw (common/reservation/reservation_draw.hpp has the rule):
-- each listed user's ticket is the hex SHA-1 of "<seed>:<user id>", and the N smallest win.
-- Atomic, and made once: a product drawn already keeps its winners.
--
-- KEYS[1] the group's index of draws to make, seckill:{g<N>}:draws (product id scored by the
-- Unix ms its reservation closes); the product's hash, list and winners share its tag.
-- ARGV[1] the seed (16..64 lowercase hex digits, random: the caller's CSPRNG)
-- ARGV[2] a product id, or '' for the group's next draw that is due
-- Returns {} when no draw is due, else {product id, outcome, winners, listed}, the outcome one
-- of drawn, already (made before), not_closed, no_draw (the product has none), unknown.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local seed = ARGV[1]
if #seed < 16 or #seed > 64 or string.find(seed, '[^0-9a-f]') then
  return redis.error_reply('the seed must be 16..64 lowercase hex digits')
end
local prefix = string.match(KEYS[1], '^(.-)draws$')
local id = ARGV[2]
if id == '' then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
  if #due == 0 then return {} end
  id = due[1]
end
local product_key = prefix .. 'product:' .. id
local product = redis.call('HMGET', product_key, 'reservation_closes_ms', 'reservation_draw',
  'draw_seed', 'drawn')
if not product[1] then
  redis.call('ZREM', KEYS[1], id)
  return {id, 'unknown', 0, 0}
end
local closes = tonumber(product[1])
local draw = tonumber(product[2] or 0)
local list_key = prefix .. 'reserved:' .. id
if closes == 0 or draw == 0 then
  redis.call('ZREM', KEYS[1], id)
  return {id, 'no_draw', 0, redis.call('SCARD', list_key)}
end
if product[3] then
  redis.call('ZREM', KEYS[1], id)
  return {id, 'already', tonumber(product[4] or 0), redis.call('SCARD', list_key)}
end
if now < closes then return {id, 'not_closed', 0, redis.call('SCARD', list_key)} end

local listed = redis.call('SMEMBERS', list_key)
-- "<ticket>:<user>", sorted as plain strings: by ticket (fixed-length hex), then by user. A
-- string sort, not a comparator, keeps a list of 100,000 within tens of milliseconds.
local entries = {}
for i = 1, #listed do
  entries[i] = redis.sha1hex(seed .. ':' .. listed[i]) .. ':' .. listed[i]
end
table.sort(entries)
local winners = {}
for i = 1, math.min(draw, #entries) do winners[i] = string.sub(entries[i], 42) end

local winners_key = prefix .. 'drawn:' .. id
redis.call('DEL', winners_key)
-- In slices: unpack() of a very long table would overflow Lua's C stack.
for from = 1, #winners, 200 do
  redis.call('SADD', winners_key, unpack(winners, from, math.min(from + 199, #winners)))
end
redis.call('HSET', product_key, 'draw_seed', seed, 'drawn', #winners, 'drawn_ms', now)
redis.call('ZREM', KEYS[1], id)
return {id, 'drawn', #winners, #listed}
