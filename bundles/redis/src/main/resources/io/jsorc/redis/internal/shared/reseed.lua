-- The store went back (restarted from an older snapshot): a new seed, so that every node seeds it again with what
-- it holds. Only when the seed is still the one the caller saw (one node marks it, the others follow).
-- KEYS: jsorc:seed, jsorc:changes
-- ARGV: the seed seen, the new seed, stream max length
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'op', 'reseed', 'seed', ARGV[2])
  return ARGV[2]
end
return redis.call('GET', KEYS[1])
