-- Changes fields of an existing product (pause/resume, sale window); never creates one.
-- KEYS[1] product hash   ARGV: field, value, field, value, ...
-- Returns 1, or 0 when the product is unknown.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
