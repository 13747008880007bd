-- A node (re)connecting. Creates the epoch when the store has none (a new Redis, or one that lost everything): the
-- node's own remembered epoch when it has one (the others then see the same store, emptied), else a new one, marked
-- fresh for the seeding window (a node that remembers an epoch seeds into a fresh one instead of joining it).
-- Records the run of Redis (its run id) the nodes shake hands with. A node that remembers an epoch and is about to
-- seed (the store is new to it, emptied, fresh, or a run of Redis it has not seen) opens the seeding window: writes
-- are refused while every node gives back what it holds. Returns the epoch, whether it was created, whether it is
-- fresh, and the stream's last and first ids.
-- KEYS: jsorc:epoch, jsorc:runid, jsorc:seeding, jsorc:changes, jsorc:fresh
-- ARGV: the epoch this node followed ('' for none), a new epoch, Redis's run id, the seeding window in ms, the run
--       id this node last shook hands with ('' for none)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[4])
local epoch = redis.call('GET', KEYS[1])
local created = '0'
if not epoch then
  if ARGV[1] ~= '' then
    epoch = ARGV[1]
  else
    epoch = ARGV[2]
    redis.call('SET', KEYS[5], tostring(now + window))
  end
  redis.call('SET', KEYS[1], epoch)
  created = '1'
end
if redis.call('GET', KEYS[2]) ~= ARGV[3] then
  redis.call('SET', KEYS[2], ARGV[3])
end
local fresh = '0'
if tonumber(redis.call('GET', KEYS[5]) or '0') > now then fresh = '1' end
if ARGV[1] ~= '' and (created == '1' or ARGV[5] ~= ARGV[3] or (fresh == '1' and epoch ~= ARGV[1])) then
  local open = tonumber(redis.call('GET', KEYS[3]) or '0')
  if open < now + window then redis.call('SET', KEYS[3], tostring(now + window)) end
end
local last = '0-0'
local first = '0-0'
local r = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
if #r > 0 then last = r[1][1] end
local f = redis.call('XRANGE', KEYS[4], '-', '+', 'COUNT', 1)
if #f > 0 then first = f[1][1] end
return {epoch, created, fresh, last, first}
