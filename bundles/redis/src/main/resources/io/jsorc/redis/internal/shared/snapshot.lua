-- Everything the store holds, read at once with the id of the stream's last entry (a follower goes on from there).
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb, jsorc:changes
local last = '0-0'
local r = redis.call('XREVRANGE', KEYS[5], '+', '-', 'COUNT', 1)
if #r > 0 then last = r[1][1] end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),
  redis.call('HGETALL', KEYS[4]), last}
