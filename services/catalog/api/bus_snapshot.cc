#include "services/catalog/api/bus_snapshot.h"

namespace travio::catalog {

BusSnapshot SnapshotOf(const fleet::Bus& bus) {
  BusSnapshot snapshot{.bus_id = bus.id,
                       .bus_version = bus.version,
                       .plate = bus.plate,
                       .bus_class = std::string(fleet::BusClassName(bus.bus_class)),
                       .ac = bus.ac,
                       .amenities = bus.amenities};
  SetLayout(snapshot, bus.layout);
  return snapshot;
}

void SetLayout(BusSnapshot& snapshot, const fleet::SeatLayout& layout) {
  snapshot.layout_document = fleet::LayoutDocument(layout);
  snapshot.capacity = layout.Capacity();
  snapshot.seats_for_sale = layout.SellableCapacity();
}

}  // namespace travio::catalog
