-- Creates or updates one product without ever resetting what was sold.
--
-- KEYS[1] product hash (the caller then lists the product in the directory, which lives under
-- another tag: a script may touch one slot only); KEYS[2] the group's index of reservation
-- draws still to be made (the logic tier's drawer reads it)
-- ARGV: id, name, total, start_ms, end_ms, per_user_limit, max_per_second, buy_rate, enabled,
-- price, currency, pay_within_s, rebuy_after_expiry (1 or 0), overwrite (1 or 0), description,
-- image_url, challenge (1 or 0), pow_bits, challenge_lead_ms, reservation_opens_ms,
-- reservation_closes_ms (0: no reservation), reservation_draw (0: no draw)
--
-- Changes made while the sale runs win over the file, so reloading an edited file never undoes
-- them: units added by add-stock stay on top of the file's total (`added`), a window moved by
-- set-window stays (`window_by_admin`), a pause or resume stays (`enabled_by_admin`). With
-- overwrite the file's values replace them and the marks are cleared.
-- The stock left is total - sold; a total below what is already sold is raised to sold (the
-- stock is gone, it cannot be un-sold).
-- Returns {total, left, sold, created (1 or 0), changed, kept}: changed lists field, before,
-- after for each field the load changed; kept lists field, kept value, the file's value for
-- each runtime change that won.

local overwrite = ARGV[14] == '1'
local created = redis.call('EXISTS', KEYS[1]) == 0
local fields = {'name', 'total', 'start_ms', 'end_ms', 'per_user_limit', 'max_per_second',
  'buy_rate', 'enabled', 'price', 'currency', 'pay_within_s', 'rebuy_after_expiry',
  'description', 'image_url', 'challenge', 'pow_bits', 'challenge_lead_ms',
  'reservation_opens_ms', 'reservation_closes_ms', 'reservation_draw'}
local before = redis.call('HMGET', KEYS[1], unpack(fields))
local old = {}
for i, field in ipairs(fields) do old[field] = before[i] end
-- Products loaded before these fields existed have none: the same as empty.
if not created then
  for _, field in ipairs({'description', 'image_url'}) do old[field] = old[field] or '' end
  for _, field in ipairs({'challenge', 'pow_bits', 'challenge_lead_ms', 'reservation_opens_ms',
      'reservation_closes_ms', 'reservation_draw'}) do
    old[field] = old[field] or '0'
  end
end
local marks = redis.call('HMGET', KEYS[1], 'added', 'window_by_admin', 'enabled_by_admin', 'sold')
local added = tonumber(marks[1] or '0')
local sold = tonumber(marks[4] or '0')

local want = {name = ARGV[2], total = ARGV[3], start_ms = ARGV[4], end_ms = ARGV[5],
  per_user_limit = ARGV[6], max_per_second = ARGV[7], buy_rate = ARGV[8], enabled = ARGV[9],
  price = ARGV[10], currency = ARGV[11], pay_within_s = ARGV[12], rebuy_after_expiry = ARGV[13],
  description = ARGV[15], image_url = ARGV[16], challenge = ARGV[17], pow_bits = ARGV[18],
  challenge_lead_ms = ARGV[19], reservation_opens_ms = ARGV[20],
  reservation_closes_ms = ARGV[21], reservation_draw = ARGV[22]}
local kept = {}
local function keep(field)
  if old[field] ~= want[field] then
    kept[#kept + 1] = field
    kept[#kept + 1] = old[field]
    kept[#kept + 1] = want[field]
  end
  want[field] = old[field]
end
if not overwrite then
  if added > 0 then
    -- (string.format %d: tostring would print a large total as 9.007e+15)
    want.total = string.format('%d', tonumber(want.total) + added)
    kept[#kept + 1] = 'added'
    kept[#kept + 1] = string.format('%d', added)
    kept[#kept + 1] = '0'
  end
  if marks[2] == '1' then
    keep('start_ms')
    keep('end_ms')
  end
  if marks[3] == '1' then keep('enabled') end
end
local total = tonumber(want.total)
if total < sold then total = sold end
want.total = string.format('%d', total)

local changed = {}
if not created then
  for _, field in ipairs(fields) do
    if old[field] ~= want[field] then
      changed[#changed + 1] = field
      changed[#changed + 1] = old[field] or ''
      changed[#changed + 1] = want[field]
    end
  end
end
redis.call('HSET', KEYS[1],
  'id', ARGV[1], 'name', want.name, 'total', total, 'left', total - sold, 'sold', sold,
  'start_ms', want.start_ms, 'end_ms', want.end_ms, 'per_user_limit', want.per_user_limit,
  'max_per_second', want.max_per_second, 'buy_rate', want.buy_rate, 'enabled', want.enabled,
  'price', want.price, 'currency', want.currency, 'pay_within_s', want.pay_within_s,
  'rebuy_after_expiry', want.rebuy_after_expiry, 'description', want.description,
  'image_url', want.image_url, 'challenge', want.challenge, 'pow_bits', want.pow_bits,
  'challenge_lead_ms', want.challenge_lead_ms, 'reservation_opens_ms', want.reservation_opens_ms,
  'reservation_closes_ms', want.reservation_closes_ms, 'reservation_draw', want.reservation_draw)
-- A draw is made once: a product drawn already keeps its winners whatever the file says now.
local drawn = redis.call('HEXISTS', KEYS[1], 'draw_seed') == 1
if tonumber(want.reservation_closes_ms) > 0 and tonumber(want.reservation_draw) > 0 and
    not drawn then
  redis.call('ZADD', KEYS[2], want.reservation_closes_ms, ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
if overwrite then
  redis.call('HSET', KEYS[1], 'added', 0)
  redis.call('HDEL', KEYS[1], 'window_by_admin', 'enabled_by_admin')
end
redis.call('HSETNX', KEYS[1], 'seq', 0)
return {total, total - sold, sold, created and 1 or 0, changed, kept}
