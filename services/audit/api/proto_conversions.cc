#include "services/audit/api/proto_conversions.h"

namespace travio::audit {

void ToProto(const AuditFact& fact, v1::Fact& out) {
  out.set_log(fact.log);
  out.set_source(fact.source);
  out.set_at_us(absl::ToUnixMicros(fact.at));
  out.set_actor(fact.actor);
  out.set_action(fact.action);
  out.set_target(fact.target);
  out.set_target_name(fact.target_name);
  out.set_details(fact.details);
}

AuditFact FromProto(const v1::Fact& in) {
  return AuditFact{.log = in.log(),
                   .source = in.source(),
                   .at = absl::FromUnixMicros(in.at_us()),
                   .actor = in.actor(),
                   .action = in.action(),
                   .target = in.target(),
                   .target_name = in.target_name(),
                   .details = in.details()};
}

void ToProto(const AuditQuery& query, v1::Query& out) {
  out.set_log(query.log);
  out.set_actor(query.actor);
  out.set_action(query.action);
  if (query.from) out.set_from_us(absl::ToUnixMicros(*query.from));
  if (query.to) out.set_to_us(absl::ToUnixMicros(*query.to));
  if (query.before_seq) out.set_before_seq(*query.before_seq);
  out.set_limit(query.limit);
}

AuditQuery FromProto(const v1::Query& in) {
  AuditQuery query;
  query.log = in.log();
  query.actor = in.actor();
  query.action = in.action();
  if (in.has_from_us()) query.from = absl::FromUnixMicros(in.from_us());
  if (in.has_to_us()) query.to = absl::FromUnixMicros(in.to_us());
  if (in.has_before_seq()) query.before_seq = in.before_seq();
  query.limit = in.limit();
  return query;
}

void ToProto(const AuditPage& page, v1::Page& out) {
  for (const AuditEntry& entry : page.items) {
    v1::Entry& wire = *out.add_items();
    ToProto(entry.fact, *wire.mutable_fact());
    wire.set_seq(entry.seq);
    wire.set_prev_hash(entry.prev_hash);
    wire.set_hash(entry.hash);
  }
  if (page.next_before_seq) out.set_next_before_seq(*page.next_before_seq);
}

AuditPage FromProto(const v1::Page& in) {
  AuditPage page;
  for (const v1::Entry& wire : in.items()) {
    page.items.push_back(AuditEntry{.fact = FromProto(wire.fact()),
                                    .seq = wire.seq(),
                                    .prev_hash = wire.prev_hash(),
                                    .hash = wire.hash()});
  }
  if (in.has_next_before_seq()) page.next_before_seq = in.next_before_seq();
  return page;
}

void ToProto(const Verification& verification, v1::Verification& out) {
  out.set_ok(verification.ok);
  out.set_entries(verification.entries);
  out.set_head_hash(verification.head_hash);
  out.set_first_bad_seq(verification.first_bad_seq);
  out.set_reason(verification.reason);
}

Verification FromProto(const v1::Verification& in) {
  return Verification{.ok = in.ok(),
                      .entries = in.entries(),
                      .head_hash = in.head_hash(),
                      .first_bad_seq = in.first_bad_seq(),
                      .reason = in.reason()};
}

void ToProto(const std::vector<AuditKey>& keys, v1::Keys& out) {
  for (const AuditKey& key : keys) {
    v1::Key& wire = *out.add_keys();
    wire.set_kid(key.kid);
    wire.set_public_key(key.public_key);
  }
}

std::vector<AuditKey> FromProto(const v1::Keys& in) {
  std::vector<AuditKey> keys;
  for (const v1::Key& wire : in.keys()) keys.push_back({wire.kid(), wire.public_key()});
  return keys;
}

}  // namespace travio::audit
