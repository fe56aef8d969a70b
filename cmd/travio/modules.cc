#include "cmd/travio/modules.h"

#include "platform/base/status_macros.h"
#include "services/audit/module.h"
#include "services/catalog/module.h"
#include "services/fraud/module.h"
#include "services/fulfillment/module.h"
#include "services/gateway/module.h"
#include "services/identity/module.h"
#include "services/inventory/module.h"
#include "services/notification/module.h"
#include "services/operator/module.h"
#include "services/order/module.h"
#include "services/payment/module.h"
#include "services/pricing/module.h"
#include "services/queue/module.h"
#include "services/reporting/module.h"
#include "services/search/module.h"
#include "services/subscription/module.h"

namespace travio {

absl::Status RegisterAllModules(module::Registry& registry) {
  TRAVIO_RETURN_IF_ERROR(gateway::RegisterGatewayModule(registry));
  TRAVIO_RETURN_IF_ERROR(identity::RegisterIdentityModule(registry));
  TRAVIO_RETURN_IF_ERROR(notification::RegisterNotificationModule(registry));
  TRAVIO_RETURN_IF_ERROR(fleet::RegisterOperatorModule(registry));
  TRAVIO_RETURN_IF_ERROR(catalog::RegisterCatalogModule(registry));
  TRAVIO_RETURN_IF_ERROR(subscription::RegisterSubscriptionModule(registry));
  TRAVIO_RETURN_IF_ERROR(inventory::RegisterInventoryModule(registry));
  TRAVIO_RETURN_IF_ERROR(search::RegisterSearchModule(registry));
  TRAVIO_RETURN_IF_ERROR(payment::RegisterPaymentModule(registry));
  TRAVIO_RETURN_IF_ERROR(fraud::RegisterFraudModule(registry));
  TRAVIO_RETURN_IF_ERROR(order::RegisterOrderModule(registry));
  TRAVIO_RETURN_IF_ERROR(queue::RegisterQueueModule(registry));
  TRAVIO_RETURN_IF_ERROR(fulfillment::RegisterFulfillmentModule(registry));
  TRAVIO_RETURN_IF_ERROR(pricing::RegisterPricingModule(registry));
  TRAVIO_RETURN_IF_ERROR(audit::RegisterAuditModule(registry));
  TRAVIO_RETURN_IF_ERROR(reporting::RegisterReportingModule(registry));
  return registry.Validate();
}

}  // namespace travio
