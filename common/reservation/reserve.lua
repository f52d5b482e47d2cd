-- POST /reserve and GET /reserve: puts a user on a product's reservation list while the
-- reservation is open (by Redis's clock, the one all proxies share), and says where the user
-- stands.
--
-- KEYS[1] product hash  KEYS[2] its reservation list (a set of user ids)  KEYS[3] the users
-- its draw picked; all under the product's group tag.
-- ARGV[1] user id  ARGV[2] '1': reserve, '0': only look
-- Returns {code, reserved (1 or 0), drawn (1 or 0; -1 while no draw has been made), listed}:
-- code 0, or 1003 (not open yet) / 1004 (closed) for a reservation refused, 4004 for a product
-- without a reservation.

local product = redis.call('HMGET', KEYS[1], 'reservation_opens_ms', 'reservation_closes_ms',
  'draw_seed')
local closes = tonumber(product[2] or 0)
if closes == 0 then return {4004, 0, -1, 0} end
local code = 0
if ARGV[2] == '1' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  if now < tonumber(product[1]) then
    code = 1003
  elseif now >= closes then
    code = 1004
  elseif redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
    redis.call('HINCRBY', KEYS[1], 'reserved', 1)
  end
end
local drawn = -1
if product[3] then drawn = redis.call('SISMEMBER', KEYS[3], ARGV[1]) end
return {code, redis.call('SISMEMBER', KEYS[2], ARGV[1]), drawn, redis.call('SCARD', KEYS[2])}
