// Transfers keep the call's data (R12); operator no-answer; caller abandon.
#include <gtest/gtest.h>

#include "core/routing/router_test_support.h"

namespace gosline::routing::test {
namespace {

using Offer = std::pair<CallId, std::string>;

RoutingConfig TwoDesks() {
  return Config({Op("reg", {{"registration", 5}}), Op("tax", {{"taxes", 5}}),
                 Op("tax2", {{"taxes", 5}})});
}

CallArrival CallWithCase(CallId id) {
  CallArrival c = Call(id, "registration", "16", /*open_case=*/true);
  c.case_number = "GS-2026-000123";
  c.collected = {{"snils", "123-456-789 01"}, {"menu_path", "1-3"}};
  return c;
}

TEST(RouterTransferTest, R12_TransferToAQueueKeepsTheCallsData) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "reg", T(0));
  Ready(r, "tax", T(0));
  Enqueue(r, CallWithCase(1), T(1));
  ASSERT_TRUE(r.OnCallAnswered(1, T(2)).ok());
  r.Dispatch(T(2));
  ASSERT_TRUE(r.TransferToQueue(1, "federal-taxes", T(60)).ok());
  EXPECT_EQ(Offers(r.Dispatch(T(60))), (std::vector<Offer>{{1, "tax"}}));
  EXPECT_EQ(r.OperatorStatusOf("reg")->state, OperatorState::kWrapUp);
  Result<CallStatus> s = r.StatusOf(1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->queue, "federal-taxes");
  EXPECT_EQ(s->operator_id, "tax");
  ASSERT_NE(s->data, nullptr);
  EXPECT_EQ(s->data->case_number, "GS-2026-000123");
  EXPECT_EQ(s->data->collected, CallWithCase(1).collected);
  EXPECT_EQ(s->data->caller_region, "16");
  EXPECT_TRUE(s->data->has_open_case);
}

TEST(RouterTransferTest, R12_TransferredCallKeepsItsPlaceByFirstArrival) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "reg", T(0));
  Enqueue(r, Call(1, "registration"), T(0));
  ASSERT_TRUE(r.OnCallAnswered(1, T(0)).ok());
  Enqueue(r, Call(2, "taxes"), T(10));  // nobody on taxes yet
  Enqueue(r, Call(3, "taxes"), T(20));
  ASSERT_TRUE(r.TransferToQueue(1, "federal-taxes", T(100)).ok());
  EXPECT_EQ(r.StatusOf(1)->position, 1u);  // first arrived at 0, before calls 2 and 3
  r.Dispatch(T(100));
  Ready(r, "tax", T(101));
  EXPECT_EQ(Offers(r.Dispatch(T(101))), (std::vector<Offer>{{1, "tax"}}));
}

TEST(RouterTransferTest, R12_TransferToAReadyOperator) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Ready(r, "tax2", T(0));
  Enqueue(r, CallWithCase(1), T(1));  // registration: nobody ready, it waits
  EXPECT_EQ(r.TransferToOperator(1, "reg", T(2)).code(), Status::Code::kFailedPrecondition);
  ASSERT_TRUE(r.TransferToOperator(1, "tax2", T(3)).ok());
  EXPECT_EQ(Offers(r.Dispatch(T(3))), (std::vector<Offer>{{1, "tax2"}}));
  ASSERT_TRUE(r.OnCallAnswered(1, T(4)).ok());
  ASSERT_TRUE(r.TransferToOperator(1, "tax", T(30)).ok());
  EXPECT_EQ(Offers(r.Dispatch(T(30))), (std::vector<Offer>{{1, "tax"}}));
  EXPECT_EQ(r.OperatorStatusOf("tax2")->state, OperatorState::kWrapUp);
  EXPECT_EQ(r.StatusOf(1)->data->case_number, "GS-2026-000123");
  EXPECT_EQ(r.TransferToOperator(1, "tax2", T(31)).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.TransferToQueue(1, "nowhere", T(31)).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.TransferToOperator(99, "tax", T(31)).code(), Status::Code::kNotFound);
}

TEST(RouterTransferTest, R12_TransferChecksTheCallThenTheTargetThenTheRinging) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  EXPECT_EQ(Offers(r.Dispatch(T(1))), (std::vector<Offer>{{1, "tax"}}));  // ringing "tax"
  EXPECT_EQ(r.TransferToQueue(99, "nowhere", T(2)).code(), Status::Code::kNotFound);
  EXPECT_EQ(r.TransferToOperator(99, "nobody", T(2)).code(), Status::Code::kNotFound);
  EXPECT_EQ(r.TransferToQueue(1, "nowhere", T(2)).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.TransferToOperator(1, "nobody", T(2)).code(), Status::Code::kNotFound);
  EXPECT_EQ(r.TransferToQueue(1, "federal-taxes", T(2)).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.TransferToOperator(1, "tax2", T(2)).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.StatusOf(1)->operator_id, "tax");  // still ringing the first operator
}

TEST(RouterTransferTest, R12_NoAnswerSetsNotReadyAndRequeuesAtTheHead) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  r.Dispatch(T(1));  // offered to "tax", who does not answer
  Enqueue(r, Call(2, "taxes", "77", /*open_case=*/true), T(5));  // would be ahead of call 1
  const std::vector<Decision> d = r.Dispatch(T(21));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOfferFailed);
  EXPECT_EQ(d[0].at, T(21));
  EXPECT_EQ(d[0].operator_id, "tax");
  EXPECT_EQ(r.OperatorStatusOf("tax")->state, OperatorState::kNotReady);
  EXPECT_EQ(r.OperatorStatusOf("tax")->reason, "no_answer");
  EXPECT_EQ(r.StatusOf(1)->position, 1u);
  EXPECT_EQ(r.StatusOf(2)->position, 2u);
  Ready(r, "tax2", T(30));
  EXPECT_EQ(Offers(r.Dispatch(T(30))), (std::vector<Offer>{{1, "tax2"}}));
}

TEST(RouterTransferTest, R12_RingingThatFailsIsTreatedAsNoAnswer) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Ready(r, "tax2", T(1));
  Enqueue(r, Call(1, "taxes"), T(2));
  EXPECT_EQ(Offers(r.Dispatch(T(2))), (std::vector<Offer>{{1, "tax"}}));
  ASSERT_TRUE(r.OnOfferFailed(1, T(3), "unreachable").ok());
  EXPECT_EQ(r.OperatorStatusOf("tax")->reason, "unreachable");
  const std::vector<Decision> d = r.Dispatch(T(3));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind, DecisionKind::kOfferFailed);
  EXPECT_EQ(Offers(d), (std::vector<Offer>{{1, "tax2"}}));
  // The first no-answer timer (due at 22) no longer applies.
  ASSERT_TRUE(r.OnCallAnswered(1, T(10)).ok());
  EXPECT_TRUE(r.Dispatch(T(100)).empty());
  EXPECT_EQ(r.StatusOf(1)->state, CallState::kConnected);
}

TEST(RouterTransferTest, R12_OperatorLeavingWhileRingingPutsTheCallBack) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Enqueue(r, Call(1, "taxes"), T(1));
  r.Dispatch(T(1));
  ASSERT_TRUE(r.OnOperatorState("tax", OperatorState::kLoggedOut, T(2)).ok());
  const std::vector<Decision> d = r.Dispatch(T(2));
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].kind, DecisionKind::kOfferWithdrawn);
  EXPECT_EQ(r.OperatorStatusOf("tax")->state, OperatorState::kLoggedOut);
  EXPECT_EQ(r.StatusOf(1)->state, CallState::kWaiting);
}

TEST(RouterTransferTest, R12_AbandonReportsTheWaitAndFreesTheCall) {
  Router r = MakeRouter(TwoDesks());
  Enqueue(r, Call(1, "taxes"), T(10));
  Enqueue(r, Call(2, "taxes"), T(20));
  Result<AbandonReport> report = r.OnCallAbandoned(1, T(55));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->queue, "federal-taxes");
  EXPECT_EQ(report->waited, Duration(45s));
  EXPECT_EQ(report->total_waited, Duration(45s));
  EXPECT_FALSE(report->was_ringing);
  EXPECT_EQ(r.calls(), 1u);
  EXPECT_EQ(r.CallStateOf(1), std::nullopt);
  EXPECT_EQ(r.CallStateOf(2), CallState::kWaiting);
  EXPECT_EQ(r.StatusOf(2)->position, 1u);
  EXPECT_EQ(r.OnCallAbandoned(1, T(56)).status().code(), Status::Code::kNotFound);
  Ready(r, "tax", T(60));
  EXPECT_EQ(Offers(r.Dispatch(T(60))), (std::vector<Offer>{{2, "tax"}}));
  ASSERT_TRUE(r.OnCallAnswered(2, T(61)).ok());
  EXPECT_EQ(r.OnCallAbandoned(2, T(62)).status().code(), Status::Code::kFailedPrecondition);
}

TEST(RouterTransferTest, R12_AbandonWhileRingingKeepsTheOperatorsPlaceInLine) {
  Router r = MakeRouter(TwoDesks());
  Ready(r, "tax", T(0));
  Ready(r, "tax2", T(5));
  Enqueue(r, Call(1, "taxes"), T(10));
  EXPECT_EQ(Offers(r.Dispatch(T(10))), (std::vector<Offer>{{1, "tax"}}));
  Result<AbandonReport> report = r.OnCallAbandoned(1, T(12));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->was_ringing);
  EXPECT_EQ(report->waited, Duration(2s));
  EXPECT_EQ(r.OperatorStatusOf("tax")->state, OperatorState::kReady);
  Enqueue(r, Call(2, "taxes"), T(20));
  EXPECT_EQ(Offers(r.Dispatch(T(20))), (std::vector<Offer>{{2, "tax"}}));  // idle since 0, not 12
}

TEST(RouterTransferTest, R12_TransferTotalWaitCountsFromTheFirstQueue) {
  Router r = MakeRouter(TwoDesks());
  Enqueue(r, Call(1, "registration"), T(0));
  ASSERT_TRUE(r.TransferToQueue(1, "federal-taxes", T(30)).ok());
  Result<AbandonReport> report = r.OnCallAbandoned(1, T(50));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->queue, "federal-taxes");
  EXPECT_EQ(report->waited, Duration(20s));
  EXPECT_EQ(report->total_waited, Duration(50s));
}

}  // namespace
}  // namespace gosline::routing::test
