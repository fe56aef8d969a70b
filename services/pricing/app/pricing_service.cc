#include "services/pricing/app/pricing_service.h"

#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/pricing/api/bindings_json.h"

namespace travio::pricing {
namespace {

absl::Status WouldWait() {
  return Error(reasons::kWouldWait, "Pricing these seats needs more than memory holds.");
}

absl::Status RuleNotFound() {
  return Error(reasons::kRuleNotFound, "No such pricing rule in this organization.");
}

constexpr size_t kMaxSeatsPerRequest = 1000;

}  // namespace

PricingService::PricingService(Ports ports, Settings settings)
    : ports_(std::move(ports)), settings_(settings), env_(RuleEnv()) {
  if (ports_.metrics != nullptr) {
    evaluations_ = &ports_.metrics->AddCounter(
        "travio_pricing_rule_outcomes_total",
        "Rules met while pricing seats, by outcome: applied, skipped (the expression failed), "
        "refused (the price left the allowed range; the base fare was used)",
        {"outcome"});
  }
}

absl::Status PricingService::CheckDraft(const RuleDraft& draft, const std::string& org_id) const {
  TRAVIO_RETURN_IF_ERROR(ValidateDraft(draft));
  PricingRule trial{.id = "", .org_id = org_id, .spec = draft};
  return CompileRule(env_, trial, settings_.limits).status();
}

absl::StatusOr<PricingRule> PricingService::CreateRule(const std::string& org_id,
                                                       const RuleDraft& draft) {
  TRAVIO_RETURN_IF_ERROR(CheckDraft(draft, org_id));
  TRAVIO_ASSIGN_OR_RETURN(std::vector<PricingRule> current, ports_.store.ListCurrent(org_id));
  if (static_cast<int64_t>(current.size()) >= settings_.max_rules_per_org) {
    return Error(reasons::kTooManyRules,
                 absl::StrCat("An organization may have at most ", settings_.max_rules_per_org,
                              " pricing rules; delete one first."));
  }
  const absl::Time now = ports_.clock.Now();
  PricingRule rule{.id = ports_.ids.NewId(),
                   .org_id = org_id,
                   .spec = draft,
                   .version = 1,
                   .created_at = now,
                   .updated_at = now};
  TRAVIO_RETURN_IF_ERROR(ports_.store.Insert(rule));
  Forget(org_id);
  ports_.logger.Info("pricing rule created",
                     {{"org_id", org_id}, {"rule_id", rule.id}, {"name", rule.spec.name}});
  return rule;
}

absl::StatusOr<PricingRule> PricingService::GetRule(const std::string& org_id,
                                                    const std::string& rule_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<PricingRule> rule, ports_.store.Find(org_id, rule_id));
  if (!rule) return RuleNotFound();
  return *rule;
}

absl::StatusOr<std::vector<PricingRule>> PricingService::ListRules(const std::string& org_id) {
  return ports_.store.ListCurrent(org_id);
}

absl::StatusOr<PricingRule> PricingService::UpdateRule(const std::string& org_id,
                                                       const std::string& rule_id,
                                                       const RuleDraft& draft) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<PricingRule> current, ports_.store.Find(org_id, rule_id));
  if (!current) return RuleNotFound();
  TRAVIO_RETURN_IF_ERROR(CheckDraft(draft, org_id));
  PricingRule next = *current;
  next.spec = draft;
  next.version = current->version + 1;
  next.updated_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.Replace(next));
  Forget(org_id);
  ports_.logger.Info(
      "pricing rule changed",
      {{"org_id", org_id}, {"rule_id", rule_id}, {"version", absl::StrCat(next.version)}});
  return next;
}

absl::Status PricingService::DeleteRule(const std::string& org_id, const std::string& rule_id) {
  TRAVIO_ASSIGN_OR_RETURN(bool deleted, ports_.store.Delete(org_id, rule_id, ports_.clock.Now()));
  if (!deleted) return RuleNotFound();
  Forget(org_id);
  ports_.logger.Info("pricing rule deleted", {{"org_id", org_id}, {"rule_id", rule_id}});
  return absl::OkStatus();
}

absl::StatusOr<EvaluationResult> PricingService::Evaluate(const std::string& org_id,
                                                          const EvaluationRequest& request) {
  (void)org_id;  // rules are not involved: the editor tries an expression on its own
  TRAVIO_ASSIGN_OR_RETURN(cel::Activation bindings, BindingsFromJson(request.bindings_json, env_));
  // Names the editor binds beyond a rule's variables are allowed, as dyn.
  cel::Env env = env_;
  for (const auto& [name, value] : bindings) {
    if (!env.variables().contains(name)) env.Declare(name, cel::Type::Dyn());
  }
  cel::CompileOptions options;
  options.limits = settings_.limits;
  options.limits.literal_patterns_only = true;
  cel::Compilation compiled = env.Compile(request.expression, options);
  if (!compiled.ok()) {
    std::vector<FieldError> errors;
    for (const cel::Issue& issue : compiled.issues) {
      errors.push_back({"expression", issue.message, issue.location.line, issue.location.column});
    }
    return WithFieldErrors(
        Error(reasons::kInvalidExpression,
              absl::StrCat("The expression is not valid: ", FormatIssue(compiled.issues[0]))),
        errors);
  }
  absl::StatusOr<cel::Value> value = compiled.program->Evaluate(bindings);
  if (!value.ok()) {
    return Error(reasons::kEvaluationError,
                 absl::StrCat("The expression failed: ", value.status().message()));
  }
  // Lists are shared, so a value made in a few steps (`[a, a]` mapped over and over) can be
  // exponentially large written out: it is measured, within the budget, before it is written.
  const int64_t budget = settings_.limits.max_cost;
  if (cel::WalkCost(*value, budget) > budget) {
    return Error(reasons::kEvaluationError,
                 absl::StrCat("The expression's value is too large to show (more than ", budget,
                              " steps to write out)."));
  }
  return EvaluationResult{.value_json = ValueToJson(*value),
                          .type = std::string(cel::TypeName(value->kind()))};
}

absl::StatusOr<std::shared_ptr<const PricingService::OrgRules>> PricingService::RulesOf(
    const std::string& org_id) {
  const absl::Time now = ports_.clock.Now();
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mutex_);
    auto cached = cache_.find(org_id);
    if (cached != cache_.end() && now - cached->second->loaded_at < settings_.rules_cache_ttl) {
      return cached->second;
    }
    generation = generations_[org_id];
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<PricingRule> rules, ports_.store.ListCurrent(org_id));
  auto loaded = std::make_shared<OrgRules>();
  loaded->loaded_at = now;
  for (const PricingRule& rule : rules) {
    absl::StatusOr<CompiledRule> compiled = CompileRule(env_, rule, settings_.limits);
    if (!compiled.ok()) {
      // Saved rules compiled when saved; one that no longer does (a lower limit) prices nothing.
      ports_.logger.Error("a saved pricing rule does not compile; it is left out",
                          {{"org_id", org_id},
                           {"rule_id", rule.id},
                           {"error", std::string(compiled.status().message())}});
      continue;
    }
    loaded->rules.push_back(*std::move(compiled));
  }
  absl::MutexLock lock(&mutex_);
  // Rules changed while these were read: this caller raced the change and may use them, but
  // the next one reads again.
  if (generations_[org_id] == generation) cache_[org_id] = loaded;
  return std::shared_ptr<const OrgRules>(loaded);
}

std::optional<int64_t> PricingService::StepsFromMemory(const std::string& org_id, int trips) {
  // The rules must still be fresh when the search that asked prices with them, a moment later;
  // in the last tenth of their life the search goes to the workers (and reads them again).
  const absl::Duration margin = settings_.rules_cache_ttl / 10;
  const absl::Time now = ports_.clock.Now();
  std::shared_ptr<const OrgRules> rules;
  {
    absl::MutexLock lock(&mutex_);
    auto cached = cache_.find(org_id);
    if (cached == cache_.end()) return std::nullopt;
    rules = cached->second;
  }
  const int64_t costliest = rules->costliest_trip;
  if (now + margin - rules->loaded_at >= settings_.rules_cache_ttl || costliest < 0 ||
      costliest == OrgRules::kFallsBack) {
    return std::nullopt;
  }
  return costliest * std::max(trips, 1);
}

absl::StatusOr<std::shared_ptr<const PricingService::OrgRules>> PricingService::CachedRulesOf(
    const std::string& org_id, absl::Time now) {
  absl::MutexLock lock(&mutex_);
  auto cached = cache_.find(org_id);
  if (cached == cache_.end() || now - cached->second->loaded_at >= settings_.rules_cache_ttl) {
    return WouldWait();
  }
  return cached->second;
}

void PricingService::Forget(const std::string& org_id) {
  absl::MutexLock lock(&mutex_);
  cache_.erase(org_id);
  ++generations_[org_id];
}

absl::StatusOr<PriceResult> PricingService::PriceSeats(const PriceRequest& request) {
  int64_t spent = 0;
  return PriceWithin(request, settings_.max_request_cost, spent, /*from_memory=*/false);
}

absl::StatusOr<PriceResult> PricingService::PriceWithin(const PriceRequest& request, int64_t budget,
                                                        int64_t& spent, bool from_memory) {
  if (request.seats.size() > kMaxSeatsPerRequest) {
    return Error(reasons::kValidationFailed,
                 absl::StrCat("At most ", kMaxSeatsPerRequest, " seats can be priced at once."));
  }
  const absl::Time at = request.at.value_or(ports_.clock.Now());
  PriceResult result{.at = at, .currency = request.currency, .seats = {}};
  result.seats.reserve(request.seats.size());
  TRAVIO_ASSIGN_OR_RETURN(
      std::shared_ptr<const OrgRules> rules,
      from_memory ? CachedRulesOf(request.org_id, at) : RulesOf(request.org_id));
  // From memory, a rule that fails or a price out of range (each logged) is the workers' to
  // price, and the forecast (StepsFromMemory) learns it until the rules are read again; so is
  // running out of the budget.
  auto clean = [from_memory](const SeatQuote& quote) {
    return !from_memory || (quote.skipped.empty() && quote.refused.empty());
  };
  auto fall_back = [&rules] {
    rules->costliest_trip = OrgRules::kFallsBack;
    return WouldWait();
  };
  Pricer pricer(RulesInForce(rules->rules, at), request.trip, request.journey,
                Moment{.now = at, .occupancy = request.occupancy, .passengers = request.passengers},
                settings_.price_ceiling, budget);
  // Seats of one kind price alike unless a rule reads labels: one evaluation per kind.
  std::map<std::tuple<std::string, int64_t, int64_t>, SeatQuote> by_kind;
  for (const SeatFacts& seat : request.seats) {
    if (pricer.SeatsOfAKindPriceAlike()) {
      auto key = std::make_tuple(seat.category, seat.deck, seat.base);
      auto known = by_kind.find(key);
      if (known == by_kind.end()) {
        known = by_kind.emplace(key, pricer.Price(seat)).first;
        if (!clean(known->second)) return fall_back();
        Report(request, known->second);
      }
      SeatQuote quote = known->second;
      quote.seat = seat.label;
      result.seats.push_back(std::move(quote));
      if (pricer.OverBudget()) break;
      continue;
    }
    result.seats.push_back(pricer.Price(seat));
    if (!clean(result.seats.back())) return fall_back();
    Report(request, result.seats.back());
    if (pricer.OverBudget()) break;
  }
  spent += pricer.spent();
  const int64_t cost = pricer.OverBudget() ? budget : pricer.spent();
  for (int64_t known = rules->costliest_trip; cost > known;) {
    if (rules->costliest_trip.compare_exchange_weak(known, cost)) break;
  }
  if (pricer.OverBudget()) {
    // Its cost, at least the budget, is recorded above: the forecast weighs it. (Not marked:
    // the budget may have been the page's, run low on other operators' trips.)
    if (from_memory) return WouldWait();
    ports_.logger.Warn("an organization's pricing rules took more than a request's budget",
                       {{"org_id", request.org_id}, {"trip_id", request.trip.id}});
    return Error(reasons::kPricingTooCostly,
                 absl::StrCat("The operator's pricing rules took more than ", budget,
                              " steps to price these seats."));
  }
  return result;
}

absl::StatusOr<std::vector<PriceResult>> PricingService::PriceMany(
    const std::vector<PriceRequest>& requests) {
  return PriceManyWithin(requests, std::nullopt);
}

absl::StatusOr<std::vector<PriceResult>> PricingService::PriceManyFromMemory(
    const std::vector<PriceRequest>& requests, int64_t max_steps) {
  return PriceManyWithin(requests, max_steps);
}

absl::StatusOr<std::vector<PriceResult>> PricingService::PriceManyWithin(
    const std::vector<PriceRequest>& requests, std::optional<int64_t> memory_steps) {
  if (requests.size() > kMaxTripsPerPriceMany) {
    return Error(reasons::kValidationFailed,
                 absl::StrCat("At most ", kMaxTripsPerPriceMany, " trips can be priced at once."));
  }
  std::vector<PriceResult> results;
  results.reserve(requests.size());
  // One request's budget per organization, shared by its trips: a page of results costs no more
  // per operator than one hold, however many of its trips it shows.
  absl::flat_hash_map<std::string, int64_t> spent_by_org;
  int64_t spent_by_all = 0;
  for (const PriceRequest& request : requests) {
    int64_t& spent = spent_by_org[request.org_id];
    const int64_t left = settings_.max_request_cost - spent;
    absl::StatusOr<PriceResult> result =
        Error(reasons::kPricingTooCostly,
              "The operator's pricing rules took more than a request's budget.");
    if (memory_steps) {
      // From memory: within the caller's steps for the whole call, or not at all.
      const int64_t before = spent;
      const int64_t budget = std::min(left, *memory_steps - spent_by_all);
      if (budget <= 0) return WouldWait();
      result = PriceWithin(request, budget, spent, /*from_memory=*/true);
      spent_by_all += spent - before;
      if (!result.ok()) return WouldWait();
    } else if (left > 0) {
      result = PriceWithin(request, left, spent, /*from_memory=*/false);
    }
    if (result.ok()) {
      results.push_back(*std::move(result));
      continue;
    }
    // One trip's rules failing does not take the others' prices with it: its seats show at
    // their base fares, saying why.
    PriceResult fallback{
        .at = request.at.value_or(ports_.clock.Now()), .currency = request.currency, .seats = {}};
    for (const SeatFacts& seat : request.seats) {
      fallback.seats.push_back(SeatQuote{.seat = seat.label,
                                         .category = seat.category,
                                         .base = seat.base,
                                         .price = seat.base,
                                         .refused = std::string(result.status().message())});
    }
    results.push_back(std::move(fallback));
  }
  return results;
}

void PricingService::Report(const PriceRequest& request, const SeatQuote& quote) {
  if (evaluations_ != nullptr) {
    if (!quote.applied.empty()) {
      evaluations_->WithLabels({"applied"}).Increment(static_cast<double>(quote.applied.size()));
    }
    if (!quote.skipped.empty()) {
      evaluations_->WithLabels({"skipped"}).Increment(static_cast<double>(quote.skipped.size()));
    }
    if (!quote.refused.empty()) evaluations_->WithLabels({"refused"}).Increment();
  }
  for (const SkippedRule& skipped : quote.skipped) {
    ports_.logger.Warn("a pricing rule failed and was skipped", {{"org_id", request.org_id},
                                                                 {"trip_id", request.trip.id},
                                                                 {"seat", quote.seat},
                                                                 {"rule_id", skipped.rule_id},
                                                                 {"error", skipped.error}});
  }
  if (!quote.refused.empty()) {
    ports_.logger.Warn("pricing rules made a price out of range; the base fare was used",
                       {{"org_id", request.org_id},
                        {"trip_id", request.trip.id},
                        {"seat", quote.seat},
                        {"why", quote.refused}});
  }
}

}  // namespace travio::pricing
