#pragma once

// The Lua scripts behind RedisHoldStore: each judges and changes one trip's keys atomically
// on the server. KEYS and ARGV are listed above each; replies start with 'ok' or a reason.

#include "platform/kv/key_value_store.h"

namespace travio::inventory {

// KEYS meta claims holds expiry; ARGV hold id, ttl ms, stored hold, from, to, seats...
const kv::Script& HoldScript();
// KEYS meta claims holds expiry; ARGV hold id.
const kv::Script& ReleaseScript();
// KEYS meta claims holds expiry; ARGV hold id, version, booking id, kind (b or k).
const kv::Script& ConfirmScript();
// KEYS meta claims; ARGV claim (b|id or k|id), from, to, seats...
const kv::Script& EnsureBookedScript();
// KEYS meta claims; ARGV booking id, from, to, seats...
const kv::Script& FreeScript();
// KEYS meta claims; ARGV from, to. Replies 'ok' then seat, status pairs.
const kv::Script& ClaimsScript();
// KEYS meta claims holds expiry; ARGV limit. Replies the earliest expiry left ('' for none),
// then hold id, stored value, expiry triples.
const kv::Script& SweepScript();
// KEYS meta claims holds expiry; ARGV legs, then field, claim pairs. 1 when loaded now.
const kv::Script& LoadScript();
// KEYS meta claims holds expiry. Replies hold id, stored value pairs of the holds dropped.
const kv::Script& DropScript();
// KEYS holds expiry; ARGV hold id. Replies the stored value and expiry, or nothing.
const kv::Script& FindScript();
// KEYS holder; ARGV hold id, ttl ms, max holds. 1 when the holder may hold once more.
const kv::Script& ReserveScript();
// KEYS expiry. Replies the earliest expiry of the trip's holds, or nothing.
const kv::Script& NextExpiryScript();
// KEYS due; ARGV limit. Replies the trips with a hold expired by the server's clock.
const kv::Script& DueTripsScript();
// KEYS due; ARGV expiry, trip. Names the trip as due at the expiry unless due sooner.
const kv::Script& DueAtScript();
// KEYS due; ARGV expiry, trip. Names the trip as due at the expiry.
const kv::Script& DueNextScript();
// Small single-key commands the KeyValueStore port does not name.
const kv::Script& ZRemScript();

}  // namespace travio::inventory
