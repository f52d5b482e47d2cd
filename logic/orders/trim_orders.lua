-- Trims a product's order stream below what the system of record has committed, and counts
-- what it removed in the product hash, so the audit stays exact after the entries are gone.
--
-- KEYS[1] the order stream seckill:{g<N>}:orders:<P>; ARGV[1] the last committed entry id.
-- Adds the number of entries removed to `trimmed` and of created events among them to
-- `trimmed_created` in seckill:{g<N>}:product:<P>. Returns the number removed. Idempotent: a
-- second run with the same id removes nothing.

local product = string.gsub(KEYS[1], ':orders:(%d+)$', ':product:%1')
if product == KEYS[1] then return redis.error_reply('KEYS[1] is not an order stream') end
redis.call('EXISTS', product)  -- touched before the first write (a migrating slot stops here)
local ms, seq = string.match(ARGV[1], '^(%d+)%-(%d+)$')
if not ms then return redis.error_reply('ARGV[1] is not a stream id') end
local entries = redis.call('XRANGE', KEYS[1], '-', ARGV[1])
if #entries == 0 then return 0 end
local created = 0
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'event' then
      if fields[i + 1] == 'created' then created = created + 1 end
      break
    end
  end
end
-- MINID keeps ids >= the one given: the committed id's successor.
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. string.format('%d', tonumber(seq) + 1))
redis.call('HINCRBY', product, 'trimmed', #entries)
redis.call('HINCRBY', product, 'trimmed_created', created)
return #entries
