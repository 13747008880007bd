-- One glob: its JSON text, revision and origin, read together.
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb
-- ARGV: name
return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1]),
  redis.call('HGET', KEYS[3], ARGV[1]), redis.call('HGET', KEYS[4], ARGV[1])}
