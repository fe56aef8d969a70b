import { ct, type ConsoleKey } from "../i18n";
import { travellerText } from "../model";
import { sameOrigin, type StaffOrder, type StaffTicket } from "./SalesModel";

const TICKET_STATUSES = new Set(["issued", "boarded", "void"]);

/** A ticket's status in words, or "on its way" while none is issued for the seat yet. */
function ticketWord(ticket: StaffTicket | undefined, seatCancelled: boolean): string {
  // A cancelled seat's ticket is void even in the moment before the ticket service says so.
  if (seatCancelled) return ct("sales.ticket.void");
  if (!ticket) return ct("sales.ticket.pending");
  return TICKET_STATUSES.has(ticket.status) ? ct(`sales.ticket.${ticket.status}` as ConsoleKey) : ticket.status;
}

/** Whether the order has (or is about to have) tickets: it was paid. */
export const hasTickets = (order: StaffOrder) => !(order.status === "pending_payment" || order.status === "under_review" || order.status === "expired");

/**
 * An order's tickets, seat by seat: each one's number and status, and the PDF of them all when
 * the server sent its link (it does to the roles that sell).
 */
export function SalesTickets({ order, headingLevel = 2 }: { order: StaffOrder; headingLevel?: 2 | 3 }) {
  if (!hasTickets(order)) return null;
  const bySeat = new Map<string, StaffTicket>();
  for (const ticket of order.tickets) if (ticket.status !== "void" || !bySeat.has(ticket.seat)) bySeat.set(ticket.seat, ticket);
  const pdf = sameOrigin(order.pdf_url);
  const waiting = order.fulfillment?.status === "pending" || (order.tickets.length === 0 && order.items.some((i) => i.status === "active"));
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section class="sales-tickets" aria-labelledby={`tickets-${order.id}`}>
      <Heading id={`tickets-${order.id}`}>{ct("sales.tickets")}</Heading>
      {waiting ? (
        <p class="muted" role="status">
          {ct("sales.ticketsComing")}
        </p>
      ) : null}
      {order.fulfillment?.status === "failed" ? <p class="problem">{ct("sales.ticketsFailed")}</p> : null}
      <ul class="ticket-list">
        {order.items.map((item) => {
          const ticket = bySeat.get(item.seat);
          return (
            <li key={item.seat} data-ticket-seat={item.seat}>
              <strong>{ct("sales.seat", { seat: item.seat })}</strong> · <bdi>{travellerText(item.passenger.name)}</bdi>
              <span class="muted">
                {" · "}
                {ticket ? (
                  <>
                    {ct("sales.ticketNumber")} <code>{ticket.number}</code>
                    {" · "}
                  </>
                ) : null}
                {ticketWord(ticket, item.status === "cancelled")}
              </span>
            </li>
          );
        })}
      </ul>
      {pdf && !waiting ? (
        <p>
          <a class="button secondary" href={pdf} download>
            {ct("sales.ticketsPdf")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
