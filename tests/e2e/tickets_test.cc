// Tickets end to end on both deployments: a paid order gets its tickets within seconds; the PDF
// is stored (files in the monolith, the S3 server in microservices), poppler reads every page's
// names, seats and numbers, zbar decodes every QR code to the ticket's `qr`, which an
// independent PASETO implementation verifies with the published key; the email arrives with the
// PDF attached and the text message is written; conductors board once (200, then 409), a
// cancelled seat does not board (410), and offline scans of two devices keep the first. A crash
// of fulfillment between rendering and recording, or before telling the traveller, issues no
// duplicate and loses nothing.
#include <csignal>
#include <fstream>
#include <regex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "platform/base/rfc3339.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/testing/command.h"
#include "platform/testing/smtp_sink.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/wait.h"
#include "tests/e2e/mailbox.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

using testing::ReadFile;
using testing::RunCommand;

// The path and query of an absolute link ("http://localhost:8080/v1/..." -> "/v1/...").
std::string PathOf(const std::string& url) {
  const size_t scheme = url.find("://");
  return url.substr(url.find('/', scheme == std::string::npos ? 0 : scheme + 3));
}

// The base64 body of the MIME part whose headers name `filename`, decoded.
std::string AttachmentOf(const std::string& message, const std::string& filename) {
  const size_t named = message.find("filename=\"" + filename + "\"");
  if (named == std::string::npos) return "";
  const size_t start = message.find("\r\n\r\n", named) + 4;
  const size_t end = message.find("\r\n--", start);
  std::string encoded = message.substr(start, end - start);
  encoded.erase(std::remove(encoded.begin(), encoded.end(), '\r'), encoded.end());
  encoded.erase(std::remove(encoded.begin(), encoded.end(), '\n'), encoded.end());
  std::string decoded;
  absl::Base64Unescape(encoded, &decoded);
  return decoded;
}

class TicketE2eTest : public OrderApiTest {
 protected:
  bool SharesDeployment() const override { return true; }
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    // A process that died holding work lets the next one take it at once.
    environment["TRAVIO_FULFILLMENT_LEASE"] = "1s";
    // A send starts only if it can end before the hold does: the hold is twice the timeouts
    // and a margin.
    environment["TRAVIO_NOTIFICATION_LEASE"] = "6s";
    environment["TRAVIO_NOTIFICATION_SMTP_TIMEOUT"] = "2s";
    environment["TRAVIO_NOTIFICATION_SMS_TIMEOUT"] = "2s";
    environment["TRAVIO_FULFILLMENT_POLL_INTERVAL"] = "100ms";
    // The test's trip leaves in three days; its offline scans are made now.
    environment["TRAVIO_FULFILLMENT_BOARDING_OPENS"] = "96h";
    for (const auto& [name, value] : extra_environment_) environment[name] = value;
    return environment;
  }

  // Orders `seats` DHK->CXB for passengers named in English and Bangla, and pays.
  std::string BuyTickets(const std::string& token, const std::vector<std::string>& seats) {
    static const std::vector<std::string> kNames = {"Rahim Uddin", "করিম আহমেদ", "Nusrat Jahan"};
    const json hold = Created(Lock(token, seats, "DHK", "CXB"));
    json request = OrderRequest(hold["hold_id"], seats);
    for (size_t i = 0; i < seats.size(); ++i) request["passengers"][i]["name"] = kNames[i % 3];
    const std::string key = absl::StrCat("tickets-", seats.front());
    const json order = Created(PostOrder(token, request, key));
    const HttpResult paid = Pay(token, order["id"], kGoodCard, key);
    EXPECT_EQ(paid.status, 201) << paid.body;
    return order["id"];
  }

  // The order once fulfillment says `status` and `done(order)` holds, or as it is after 30 s.
  json AwaitTickets(
      const std::string& token, const std::string& order_id,
      const std::function<bool(const json&)>& done = [](const json&) { return true; }) {
    json order;
    for (int i = 0; i < 300; ++i) {
      const HttpResult read = Get("/v1/orders/" + order_id, token);
      if (read.status == 200) {
        order = Body(read);
        if (order.contains("fulfillment") && order["fulfillment"]["status"] == "issued" &&
            done(order)) {
          return order;
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "the tickets of " << order_id << " were never issued: " << order.dump() << "\n"
                  << deployment_->Logs();
    return order;
  }

  std::filesystem::path NotificationDir() const { return deployment_->mail_dir().parent_path(); }

  // The page texts (pdftotext) and QR codes (pdftoppm, zbarimg) of a PDF, page by page.
  std::vector<std::pair<std::string, std::string>> ReadPdf(const std::string& pdf) {
    const auto file = scratch_ / "tickets.pdf";
    std::ofstream(file, std::ios::binary) << pdf;
    auto [info_rc, info] = RunCommand("pdfinfo " + file.string());
    EXPECT_EQ(info_rc, 0) << "not a PDF";
    std::smatch pages_match;
    int pages = 0;
    if (std::regex_search(info, pages_match, std::regex("Pages:\\s+(\\d+)"))) {
      pages = std::stoi(pages_match[1]);
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (int page = 1; page <= pages; ++page) {
      const std::string text =
          RunCommand(absl::StrCat("pdftotext -f ", page, " -l ", page, " ", file.string(), " -"))
              .second;
      const std::string png = (scratch_ / absl::StrCat("page-", page)).string();
      EXPECT_EQ(RunCommand(absl::StrCat("pdftoppm -r 100 -png -singlefile -f ", page, " -l ", page,
                                        " ", file.string(), " ", png))
                    .first,
                0);
      const std::string qr = std::string(absl::StripAsciiWhitespace(
          RunCommand("zbarimg -q --raw " + png + ".png 2>/dev/null").second));
      out.emplace_back(text, qr);
    }
    return out;
  }

  // Verifies a ticket code with PyNaCl against the keys the gateway publishes; the claims.
  json VerifyIndependently(const std::string& qr) {
    const auto keys = scratch_ / "keys.json";
    std::ofstream(keys) << Get("/.well-known/travio-keys").body;
    auto [rc, claims] =
        RunCommand("/usr/bin/python3 " TRAVIO_SOURCE_DIR "/tests/support/verify_paseto.py '" + qr +
                   "' " + keys.string() + " travio-ticket");
    EXPECT_EQ(rc, 0) << claims;
    return json::parse(claims, nullptr, false);
  }

  HttpResult Scan(const std::string& qr, const std::string& trip, const std::string& token = "") {
    return Send("POST", "/v1/boarding/scan", {{"qr", qr}, {"trip_id", trip}},
                token.empty() ? owner_ : token);
  }

  std::map<std::string, std::string> extra_environment_;
  testing::TempDir scratch_{"travio-e2e-tickets"};
};

TEST_P(TicketE2eTest, APaidOrderGetsCheckableTicketsAPdfAnEmailAndAText) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"A1", "A2", "A3"});
  const json order = AwaitTickets(guest, order_id);
  ASSERT_EQ(order["tickets"].size(), 3u) << order.dump();
  std::map<std::string, json> by_seat;
  for (const json& ticket : order["tickets"]) by_seat[ticket["seat"]] = ticket;
  for (const json& item : order["items"]) EXPECT_TRUE(item.contains("ticket_id")) << item.dump();

  // The PDF behind the signed link: no bearer needed; a page per ticket saying whose it is.
  const std::string pdf_url = order["pdf_url"];
  const HttpResult pdf = client_->Send("GET", PathOf(pdf_url), "", {});
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.headers.at("content-type"), "application/pdf");
  EXPECT_EQ(client_->Send("GET", PathOf(pdf_url) + "0", "", {}).status, 403);
  EXPECT_EQ(client_->Send("GET", "/v1/orders/" + order_id + "/tickets.pdf", "", {}).status, 404);
  const auto pages = ReadPdf(pdf.body);
  ASSERT_EQ(pages.size(), 3u);
  std::set<std::string> codes;
  for (const auto& [text, qr] : pages) {
    codes.insert(qr);
    // Each page is one ticket: its passenger, seat and number, and its own code.
    bool matched = false;
    for (const auto& [seat, ticket] : by_seat) {
      const json full = Ok(Get("/v1/tickets/" + ticket["id"].get<std::string>(), guest));
      if (full["qr"] != qr) continue;
      matched = true;
      EXPECT_NE(text.find(ticket["number"].get<std::string>()), std::string::npos) << text;
      EXPECT_NE(text.find(ticket["passenger"].get<std::string>()), std::string::npos) << text;
      EXPECT_NE(text.find("\n" + seat + "\n"), std::string::npos) << text;
      const json claims = VerifyIndependently(qr);
      EXPECT_EQ(claims["tid"], ticket["id"]);
      EXPECT_EQ(claims["trip"], trip_);
      EXPECT_EQ(claims["seat"], seat);
      EXPECT_EQ(claims["from"], "DHK");
      EXPECT_EQ(claims["to"], "CXB");
    }
    EXPECT_TRUE(matched) << "a page whose code is no ticket's: " << qr;
  }
  EXPECT_EQ(codes.size(), 3u);

  // Stored where the deployment keeps documents.
  const std::string key = absl::StrCat("orders/", org_, "/", order_id, "/tickets-1.pdf");
  if (GetParam() == Mode::kMonolith) {
    EXPECT_EQ(ReadFile(NotificationDir() / "documents" / key), pdf.body);
  } else {
    HttpClient s3(absl::StrCat("http://127.0.0.1:", testing::SharedTestServers().s3_port));
    EXPECT_EQ(s3.Send("GET", "/travio-tickets/" + key, "", {}).body, pdf.body);
  }

  // The email, with the same PDF attached, and the text message.
  const std::vector<std::string> mail = AwaitMail(contact_email_, "Your tickets:", 1);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(crypto::Sha256(AttachmentOf(mail[0], "travio-tickets-" + order_id + ".pdf")),
            crypto::Sha256(pdf.body));
  for (const auto& [seat, ticket] : by_seat) {
    EXPECT_NE(mail[0].find(ticket["number"].get<std::string>()), std::string::npos);
  }
  const auto texts = FilesWith(NotificationDir() / "sms", ".json", contact_phone_);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find(by_seat["A1"]["number"].get<std::string>()), std::string::npos);

  // The tickets' key is published beside the others.
  bool published = false;
  const json keys = Body(Get("/.well-known/travio-keys"));
  for (const json& key_json : keys["keys"]) {
    published = published || key_json["use"] == "ticket";
  }
  EXPECT_TRUE(published);
}

TEST_P(TicketE2eTest, TheEmailsBookingLinkLetsAGuestWhoseTokenIsGoneSeeAndCancelSeats) {
  const std::string order_id = BuyTickets(Guest(), {"B1", "B2"});
  const std::vector<std::string> mail = AwaitMail(contact_email_, "Your tickets:", 1);
  ASSERT_EQ(mail.size(), 1u);
  std::smatch found;
  ASSERT_TRUE(std::regex_search(mail[0], found,
                                std::regex("https?://[^/\\s]+(/orders/" + order_id +
                                           ")(\\?expires=[0-9]+&signature=[0-9a-f]{64})")))
      << mail[0];
  const std::string query = found[2];
  // The link opens the traveller app's page of the booking.
  const HttpResult page = client_->Send("GET", std::string(found[1]) + query, "", {});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<div id=\"app\">"), std::string::npos);

  // Another browser, whose guest never bought anything, sees the order only through the link.
  const std::string stranger = Guest();
  EXPECT_EQ(Get("/v1/orders/" + order_id, stranger).status, 404);
  const json order = Ok(Get("/v1/orders/" + order_id + query, stranger));
  EXPECT_EQ(order["status"], "confirmed");
  ASSERT_EQ(order["tickets"].size(), 2u) << order.dump();
  const std::string ticket_id = order["tickets"][0]["id"];
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id, stranger).status, 404);
  EXPECT_FALSE(
      Ok(Get("/v1/tickets/" + ticket_id + query, stranger))["qr"].get<std::string>().empty());

  // A forged signature, or the link used for another order, opens nothing.
  std::string forged = query;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(Get("/v1/orders/" + order_id + forged, stranger).status, 403);
  // Nor does a link tell which tickets exist.
  EXPECT_EQ(Get("/v1/tickets/01a2b3c4-0000-7000-8000-000000000000" + query, stranger).status, 403);
  const std::string other_order = BuyTickets(Guest(), {"B3"});
  EXPECT_EQ(Get("/v1/orders/" + other_order + query, stranger).status, 403);
  EXPECT_EQ(
      Send("POST", "/v1/orders/" + other_order + "/cancel-quote" + query, json::object(), stranger)
          .status,
      403);
  EXPECT_EQ(
      Send("POST", "/v1/orders/" + order_id + "/cancel-quote", json::object(), stranger).status,
      404);

  // One seat cancelled through the link: quoted first, then freed.
  const json quote = Ok(Send("POST", "/v1/orders/" + order_id + "/cancel-quote" + query,
                             {{"seats", {"B2"}}}, stranger));
  const json cancelled = Ok(Send("POST", "/v1/orders/" + order_id + "/cancel" + query,
                                 {{"quote_id", quote["quote_id"]}}, stranger));
  EXPECT_EQ(cancelled["status"], "partially_cancelled");
  const json seats = Ok(Get("/v1/trips/" + trip_ + "/seats?from=DHK&to=CXB"));
  for (const json& deck : seats["decks"]) {
    for (const json& cell : deck["cells"]) {
      if (cell.value("label", "") == "B2") {
        EXPECT_EQ(cell["status"], "available");
      }
      if (cell.value("label", "") == "B1") {
        EXPECT_EQ(cell["status"], "booked");
      }
    }
  }
}

TEST_P(TicketE2eTest, AConductorTypesTheNumberOfATicketWhoseCodeWillNotScan) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"C1", "C2"});
  const json order = AwaitTickets(guest, order_id);
  std::map<std::string, std::string> number;
  for (const json& ticket : order["tickets"]) number[ticket["seat"]] = ticket["number"];

  // One of the code and the number, and a number only with the trip it is boarded on.
  EXPECT_EQ(Send("POST", "/v1/boarding/scan", {{"trip_id", trip_}}, owner_).status, 400);
  EXPECT_EQ(Send("POST", "/v1/boarding/scan",
                 {{"trip_id", trip_}, {"number", number["C1"]}, {"qr", "v4.public.x"}}, owner_)
                .status,
            400);
  EXPECT_EQ(Send("POST", "/v1/boarding/sync",
                 {{"scans", {{{"number", number["C2"]}, {"scanned_at", "2026-12-04T10:00:00Z"}}}}},
                 owner_)
                .status,
            400);

  const HttpResult boarded =
      Send("POST", "/v1/boarding/scan",
           {{"trip_id", trip_}, {"number", absl::AsciiStrToLower(number["C1"])}}, owner_);
  ASSERT_EQ(boarded.status, 200) << boarded.body;
  EXPECT_EQ(Body(boarded)["seat"], "C1");
  EXPECT_EQ(
      Send("POST", "/v1/boarding/scan", {{"trip_id", trip_}, {"number", number["C1"]}}, owner_)
          .status,
      409);
  // Typed offline, synced later with the trip.
  const json synced = Ok(Send("POST", "/v1/boarding/sync",
                              {{"scans",
                                {{{"number", number["C2"]},
                                  {"trip_id", trip_},
                                  {"scanned_at", FormatRfc3339(absl::Now())},
                                  {"device_id", "phone-1"}},
                                 {{"number", "NOPE0-00000"},
                                  {"trip_id", trip_},
                                  {"scanned_at", FormatRfc3339(absl::Now())}}}}},
                              owner_));
  ASSERT_EQ(synced["results"].size(), 2u) << synced.dump();
  EXPECT_EQ(synced["results"][0]["status"], "boarded");
  EXPECT_EQ(synced["results"][1]["status"], "invalid");
}

TEST_P(TicketE2eTest, ConductorsBoardOnceCancelledSeatsNeverAndOfflineScansKeepTheFirst) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"B1", "B2", "B3"});
  const json order = AwaitTickets(guest, order_id);
  // Offline scans happen after the tickets exist (an earlier clock is not believed).
  const absl::Time issued = absl::Now();
  std::map<std::string, std::string> qr;
  for (const json& ticket : order["tickets"]) {
    qr[ticket["seat"]] = Ok(Get("/v1/tickets/" + ticket["id"].get<std::string>(), guest))["qr"];
  }

  const HttpResult boarded = Scan(qr["B1"], trip_);
  ASSERT_EQ(boarded.status, 200) << boarded.body;
  EXPECT_EQ(Body(boarded)["seat"], "B1");
  EXPECT_EQ(Body(boarded)["passenger"], "Rahim Uddin");
  // The manifest shows who boarded.
  const json manifest = Ok(Get("/v1/operator/trips/" + trip_ + "/manifest", owner_));
  for (const json& line : manifest["passengers"]) {
    if (line["seat"] != "B1") continue;
    EXPECT_EQ(line["ticket"]["status"], "boarded") << line.dump();
    EXPECT_EQ(line["ticket"]["boarded_at"], Body(boarded)["boarded_at"]);
  }
  const HttpResult again = Scan(qr["B1"], trip_);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Body(again)["code"], "already_boarded");
  EXPECT_EQ(Body(again)["boarded_at"], Body(boarded)["boarded_at"]);
  EXPECT_EQ(Scan("v4.public.bm90LWEtdGlja2V0", trip_).status, 400);
  EXPECT_EQ(Scan(qr["B2"], "0193f1c2-9b44-7d10-b2a7-6c1e3f5a7b02").status,
            404);  // not a trip of ours
  // A traveller's token cannot scan.
  EXPECT_EQ(Send("POST", "/v1/boarding/scan", {{"qr", qr["B2"]}, {"trip_id", trip_}}, guest).status,
            403);

  // B2 cancelled: its ticket is void, its code no longer boards, and the PDF holds the others.
  const json quote =
      Ok(Send("POST", "/v1/orders/" + order_id + "/cancel-quote", {{"seats", {"B2"}}}, guest));
  Ok(Send("POST", "/v1/orders/" + order_id + "/cancel", {{"quote_id", quote["quote_id"]}}, guest));
  const json after = AwaitTickets(guest, order_id, [](const json& o) {
    for (const json& t : o["tickets"]) {
      if (t["seat"] == "B2") return t["status"] == "void";
    }
    return false;
  });
  const HttpResult void_scan = Scan(qr["B2"], trip_);
  EXPECT_EQ(void_scan.status, 410) << void_scan.body;
  EXPECT_EQ(Body(void_scan)["code"], "ticket_void");
  const auto pages = ReadPdf(client_->Send("GET", PathOf(after["pdf_url"]), "", {}).body);
  EXPECT_EQ(pages.size(), 2u);
  const auto cancelled_mail = AwaitMail(contact_email_, "Cancelled: seat B2", 1);
  EXPECT_EQ(cancelled_mail.size(), 1u);

  // The boarding pack: the keys and every ticket with its status.
  const json pack = Ok(Get("/v1/operator/trips/" + trip_ + "/boarding-pack", owner_));
  EXPECT_FALSE(pack["keys"].empty());
  std::map<std::string, std::string> status;
  for (const json& ticket : pack["tickets"]) status[ticket["seat"]] = ticket["status"];
  EXPECT_EQ(status["B1"], "boarded");
  EXPECT_EQ(status["B2"], "void");
  EXPECT_EQ(status["B3"], "issued");

  // Two devices scanned B3 offline; the later scan syncs first, the earlier one is kept.
  const std::string early = FormatRfc3339(issued + absl::Seconds(1));
  const std::string late = FormatRfc3339(issued + absl::Seconds(2));
  absl::SleepFor(issued + absl::Seconds(2) - absl::Now());
  const json second_device =
      Ok(Send("POST", "/v1/boarding/sync",
              {{"scans",
                {{{"qr", qr["B3"]}, {"scanned_at", late}, {"device_id", "phone-2"}},
                 {{"qr", qr["B2"]}, {"scanned_at", late}, {"device_id", "phone-2"}},
                 {{"qr", "garbage"}, {"scanned_at", late}, {"device_id", "phone-2"}}}}},
              owner_));
  ASSERT_EQ(second_device["results"].size(), 3u);
  EXPECT_EQ(second_device["results"][0]["status"], "boarded");
  EXPECT_EQ(second_device["results"][1]["status"], "void");
  EXPECT_EQ(second_device["results"][2]["status"], "invalid");
  const json first_device =
      Ok(Send("POST", "/v1/boarding/sync",
              {{"scans",
                {{{"qr", qr["B3"]}, {"scanned_at", early}, {"device_id", "phone-1"}},
                 {{"qr", qr["B1"]}, {"scanned_at", early}, {"device_id", "phone-1"}}}}},
              owner_));
  // The earlier scan becomes the ticket's record, but it boards no one a second time.
  EXPECT_EQ(first_device["results"][0]["status"], "already_boarded");
  EXPECT_EQ(first_device["results"][0]["boarded_at"], early);
  EXPECT_EQ(first_device["results"][1]["status"], "already_boarded");  // boarded online, earlier
  const json third = Ok(Send("POST", "/v1/boarding/sync",
                             {{"scans", {{{"qr", qr["B3"]}, {"scanned_at", late}}}}}, owner_));
  EXPECT_EQ(third["results"][0]["status"], "already_boarded");
  EXPECT_EQ(Ok(Get("/v1/tickets/" + after["items"][2]["ticket_id"].get<std::string>(),
                   owner_))["boarded_at"],
            first_device["results"][0]["boarded_at"]);

  // A bad sync changes nothing and says what is wrong.
  const HttpResult bad =
      Send("POST", "/v1/boarding/sync", {{"scans", {{{"qr", qr["B3"]}}}}}, owner_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  // The epoch is no scan time (over gRPC it would read as "none", skipping the window check).
  const HttpResult epoch =
      Send("POST", "/v1/boarding/sync",
           {{"scans", {{{"qr", qr["B3"]}, {"scanned_at", "1970-01-01T00:00:00Z"}}}}}, owner_);
  EXPECT_EQ(epoch.status, 400) << epoch.body;
}

TEST_P(TicketE2eTest, ABanglaOrderIsToldInBangla) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"F1"}, "DHK", "CTG"));
  json request = OrderRequest(hold["hold_id"], {"F1"});
  request["contact"] = {{"email", "bangla@example.com"}, {"locale", "bn"}};
  const json order = Created(PostOrder(guest, request, "bangla-order"));
  EXPECT_EQ(order["contact"]["locale"], "bn");
  ASSERT_EQ(Pay(guest, order["id"], kGoodCard, "bangla-pay").status, 201);
  AwaitTickets(guest, order["id"]);
  std::vector<std::string> mail;
  for (int i = 0; i < 100 && mail.empty(); ++i) {
    mail = FilesWith(deployment_->mail_dir(), ".eml", "To: bangla@example.com\r\n");
    if (mail.empty()) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("আসন F1"), std::string::npos) << mail[0].substr(0, 2000);
  EXPECT_NE(mail[0].find("=?UTF-8?B?"), std::string::npos);  // a Bangla subject
  // A locale the messages are not written in is refused with the field named.
  json french = OrderRequest(Created(Lock(guest, {"F2"}, "DHK", "CTG"))["hold_id"], {"F2"});
  french["contact"] = {{"email", "bangla@example.com"}, {"locale", "fr"}};
  const HttpResult refused = PostOrder(guest, french, "french-order");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("contact.locale"), std::string::npos) << refused.body;
}

TEST_P(TicketE2eTest, TicketsAndTheirPdfsAreTheBuyersAndTheOperatorsOnly) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"C1"});
  const json order = AwaitTickets(guest, order_id);
  const std::string ticket_id = order["tickets"][0]["id"];
  const std::string stranger = Guest();
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id, stranger).status, 404);
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id + "/pdf", stranger).status, 404);
  EXPECT_EQ(Get("/v1/orders/" + order_id + "/tickets.pdf", stranger).status, 404);
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id).status, 401);
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id + "/pdf", guest).status, 200);
  EXPECT_EQ(Get("/v1/orders/" + order_id + "/tickets.pdf", owner_).status, 200);
  EXPECT_EQ(Get("/v1/tickets/" + ticket_id, owner_).status, 200);
  // Staff who sell may reprint a ticket; a conductor or a viewer sees it without its boarding
  // code, and cannot download what carries the code.
  EXPECT_FALSE(Ok(Get("/v1/tickets/" + ticket_id, AddMember("agent")))["qr"].is_null());
  for (const std::string role : {"conductor", "viewer"}) {
    SCOPED_TRACE(role);
    const std::string staff = AddMember(role);
    const json seen = Ok(Get("/v1/tickets/" + ticket_id, staff));
    EXPECT_EQ(seen["seat"], "C1");
    EXPECT_TRUE(seen["qr"].is_null()) << seen.dump();
    EXPECT_TRUE(seen["pdf_url"].is_null());
    EXPECT_EQ(Get("/v1/tickets/" + ticket_id + "/pdf", staff).status, 403);
    EXPECT_EQ(Get("/v1/orders/" + order_id + "/tickets.pdf", staff).status, 403);
    if (role == "viewer") {
      const json viewed = Ok(Get("/v1/orders/" + order_id, staff));
      EXPECT_TRUE(viewed["pdf_url"].is_null());
      EXPECT_TRUE(viewed["tickets"][0]["pdf_url"].is_null());
    }
  }
  // A signed link for one ticket does not open another resource.
  const std::string link = PathOf(order["tickets"][0]["pdf_url"]);
  const std::string query = link.substr(link.find('?'));
  EXPECT_EQ(client_->Send("GET", link, "", {}).status, 200);
  EXPECT_EQ(client_->Send("GET", "/v1/orders/" + order_id + "/tickets.pdf" + query, "", {}).status,
            403);
}

TEST_P(TicketE2eTest, AConductorScansOnTheTripsTheyAreAssignedTo) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"E1"});
  const json order = AwaitTickets(guest, order_id);
  const std::string qr =
      Ok(Get("/v1/tickets/" + order["tickets"][0]["id"].get<std::string>(), guest))["qr"];
  const std::string assigned = AddMember("conductor");
  const std::string elsewhere = AddMember("conductor");
  // The conductor's staff record names their account; only a member can be named.
  const std::string user_id = Ok(Get("/v1/me", assigned))["id"];
  const json staff = Created(Send("POST", "/v1/operator/staff",
                                  {{"name", "Shafiq Rahman"},
                                   {"role", "conductor"},
                                   {"phone", "+8801711000099"},
                                   {"user_id", user_id}},
                                  owner_));
  EXPECT_EQ(staff["user_id"], user_id);
  const HttpResult stranger = Send("POST", "/v1/operator/staff",
                                   {{"name", "Not Ours"},
                                    {"role", "conductor"},
                                    {"phone", "+8801711000098"},
                                    {"user_id", Ok(Get("/v1/me", SignUp("outsider")))["id"]}},
                                   owner_);
  EXPECT_EQ(stranger.status, 400) << stranger.body;
  EXPECT_NE(stranger.body.find("user_id"), std::string::npos);
  Created(Send("POST", "/v1/operator/trips/" + trip_ + "/assignments",
               {{"staff_id", staff["id"]}, {"duty", "conductor"}}, owner_));

  // A conductor not on the trip's crew can neither scan at its door nor take its pack.
  const HttpResult refused = Scan(qr, trip_, elsewhere);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Body(refused)["code"], "not_on_crew");
  EXPECT_EQ(Get("/v1/operator/trips/" + trip_ + "/boarding-pack", elsewhere).status, 403);
  EXPECT_EQ(Get("/v1/operator/trips/" + trip_ + "/manifest", elsewhere).status, 403);
  EXPECT_EQ(Get("/v1/operator/trips/" + trip_ + "/manifest", assigned).status, 200);
  // The assigned one can.
  EXPECT_EQ(Get("/v1/operator/trips/" + trip_ + "/boarding-pack", assigned).status, 200);
  const HttpResult boarded = Scan(qr, trip_, assigned);
  EXPECT_EQ(boarded.status, 200) << boarded.body;
}

INSTANTIATE_TEST_SUITE_P(Deployments, TicketE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

// Fulfillment armed to die at a step dies at the first job to reach it: a deployment of its own,
// where the only job is this case's order.
class TicketCrashE2eTest : public TicketE2eTest {
 protected:
  bool SharesDeployment() const override { return false; }
};

TEST_P(TicketCrashE2eTest, ACrashAfterRenderingOrBeforeTellingLosesNothingAndDoublesNothing) {
  for (const std::string point : {"rendered", "recorded"}) {
    SCOPED_TRACE(point);
    deployment_->Signal("fulfillment", SIGKILL);
    ASSERT_OK(deployment_->Restart("fulfillment", {{"TRAVIO_FULFILLMENT_TEST_CRASH_AT", point}}))
        << deployment_->Logs();
    const std::string guest = Guest();
    const std::string seat = point == "rendered" ? "D1" : "D2";
    // Paying answers before fulfillment runs; the process dies behind it.
    const std::string order_id = BuyTickets(guest, {seat});
    ASSERT_TRUE(testing::WaitFor([&] {
      return absl::StrContains(deployment_->Logs(), "crash point " + point + " reached");
    })) << deployment_->Logs();
    ASSERT_OK(deployment_->Restart("fulfillment", {{"TRAVIO_FULFILLMENT_TEST_CRASH_AT", ""}}))
        << deployment_->Logs();
    const json order = AwaitTickets(guest, order_id);
    ASSERT_EQ(order["tickets"].size(), 1u) << order.dump();
    const std::vector<std::string> mail =
        AwaitMail(contact_email_, "Your tickets:", point == "rendered" ? 1 : 2);
    // One email per order: this one's ticket number appears in exactly one.
    int with_number = 0;
    for (const std::string& message : MailTo(contact_email_, "Your tickets:")) {
      if (message.find(order["tickets"][0]["number"].get<std::string>()) != std::string::npos) {
        ++with_number;
      }
    }
    EXPECT_EQ(with_number, 1) << deployment_->Logs();
  }
}

INSTANTIATE_TEST_SUITE_P(Deployments, TicketCrashE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

// The ticket email through a real SMTP server (aiosmtpd), with its PDF.
class TicketSmtpE2eTest : public TicketE2eTest {
 protected:
  void SetUp() override {
    ASSERT_OK(smtp_.Start());
    extra_environment_ = {{"TRAVIO_NOTIFICATION_EMAIL_TRANSPORT", "smtp"},
                          {"TRAVIO_NOTIFICATION_SMTP_URL", smtp_.url()}};
    TicketE2eTest::SetUp();
  }
  testing::SmtpSink smtp_;
};

TEST_P(TicketSmtpE2eTest, TheTicketEmailReachesARealSmtpServerWithItsPdf) {
  const std::string guest = Guest();
  const std::string order_id = BuyTickets(guest, {"E1"});
  const json order = AwaitTickets(guest, order_id);
  // The traveller's tickets, and the operator's owner's welcome to their plan, in either order.
  const std::vector<json> messages = smtp_.WaitForMessages(2);
  ASSERT_EQ(messages.size(), 2u) << deployment_->Logs();
  std::string data;
  for (const json& message : messages) {
    if (message["rcpt_tos"] == json({contact_email_})) {
      data = message["data"];
    } else {
      EXPECT_EQ(message["rcpt_tos"], json({owner_email_}));
    }
  }
  ASSERT_FALSE(data.empty()) << "no message to the buyer";
  const HttpResult pdf = client_->Send("GET", PathOf(order["pdf_url"]), "", {});
  std::string crlf;
  for (char c : data) {
    if (c == '\n' && (crlf.empty() || crlf.back() != '\r')) crlf += '\r';
    crlf += c;
  }
  EXPECT_EQ(crypto::Sha256(AttachmentOf(crlf, "travio-tickets-" + order_id + ".pdf")),
            crypto::Sha256(pdf.body));
}

INSTANTIATE_TEST_SUITE_P(Deployments, TicketSmtpE2eTest, ::testing::Values(Mode::kMonolith),
                         ModeName);

}  // namespace
}  // namespace travio::e2e
