-- A node (re)connecting: the store's epoch and seed (created when the store has none: an empty Redis), and the
-- stream's first and last entry ids, read together.
-- KEYS: jsorc:epoch, jsorc:seed, jsorc:changes
-- ARGV: the epoch this node followed ('' for none), a new epoch, a new seed
local epoch = redis.call('GET', KEYS[1])
local created = '0'
if not epoch then
  if ARGV[1] ~= '' then epoch = ARGV[1] else epoch = ARGV[2] end
  redis.call('SET', KEYS[1], epoch)
  redis.call('SET', KEYS[2], ARGV[3])
  created = '1'
end
local seed = redis.call('GET', KEYS[2])
if not seed then
  seed = ARGV[3]
  redis.call('SET', KEYS[2], seed)
end
local last = '0-0'
local first = '0-0'
local r = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #r > 0 then last = r[1][1] end
local f = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)
if #f > 0 then first = f[1][1] end
return {epoch, seed, created, last, first}
