#pragma once

#include <memory>

#include "services/catalog/api/catalog_client.h"
#include "services/fulfillment/app/ports.h"
#include "services/identity/api/identity_client.h"
#include "services/operator/api/operator_client.h"
#include "services/order/api/order_client.h"

namespace travio::fulfillment {

/// BookingFacts from the order, catalog, identity and operator services (in-process or over
/// gRPC).
std::unique_ptr<BookingFacts> MakeServiceBookingFacts(
    std::shared_ptr<order::OrderClient> orders, std::shared_ptr<catalog::CatalogClient> catalog,
    std::shared_ptr<identity::IdentityClient> identity,
    std::shared_ptr<fleet::OperatorClient> fleet);

}  // namespace travio::fulfillment
