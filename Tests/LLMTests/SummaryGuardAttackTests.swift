import ChatOpsCore
import Foundation
import LLM
import Testing

/// Summaries that mislead without the words the first guard looked for, found by attacking it, and
/// faithful wordings it refused; each on data from the corpus's outcomes.
@Suite("Summary guard under attack")
struct SummaryGuardAttackTests {
    static func evidence(_ status: Outcome.Status, _ headline: String, _ facts: String = "", command: String) -> SummaryEvidence {
        SummaryEvidence(
            status: status, data: "status: \(status.rawValue)\nheadline: \(headline)\(facts.isEmpty ? "" : "\n" + facts)\ncommand: \(command)")
    }

    static let unauthorized = evidence(
        .failed, "The cluster did not accept the bot's credentials for get deployment recsys in models-prod (401 Unauthorized): check its token.",
        command: "status recsys")
    static let forbidden = evidence(
        .failed, "The bot may not patch deployments/scale fraud in models-prod (403 Forbidden).", command: "scale fraud 6 --env prod")
    static let partial = evidence(
        .failed, "Scaled ranker in models-staging from 2 to 6 replicas, but not rolled out after 1s: rolling out: 1/6 updated, 1 available.",
        command: "scale ranker 6")
    static let evalFailed = evidence(
        .failed, "Evaluation job eval-churn-5025a09e failed: Job has reached the specified backoff limit.", command: "eval churn v9")
    static let deployed = evidence(
        .succeeded, "Deployed image registry.internal/models/fraud:v12 to fraud in models-prod: 3/3 updated, 3 available.",
        command: "deploy fraud v12 --env prod")
    static let rolledBack = evidence(.succeeded, "Rolled back fraud in prod from v12 to v11.", command: "rollback fraud --env prod")
    static let scaledDown = evidence(.succeeded, "Scaled ranker in prod from 8 to 0 replicas.", command: "scale ranker 0 --env prod")
    static let metrics = evidence(
        .succeeded, "fraud in prod over the last 10m: no series moved by 20% or more.", "error rate: 1.59%\nrequests: 1.485 req/s\nerrors: 1.826%",
        command: "metrics fraud --window 10m")
    static let query = evidence(.succeeded, "0 series for `model_replicas{model=\"churn\"}`.", command: "query model_replicas{model=\"churn\"}")
    let summaryGuard = SummaryGuard()

    func reason(_ summary: String, _ evidence: SummaryEvidence) -> SummaryGuard.Reason? {
        summaryGuard.check(summary, against: evidence).reason
    }

    @Test func aStateTheDataReportsMayBeNamedInAnyFormButNotInventedOnASuccess() {
        let rejected = Self.evidence(
            .succeeded, "eval of support-bot v12 on holdout: 63% passed, reject", "verdict: reject\ncases: 15/24 passed (63%)",
            command: "eval support-bot v12")
        #expect(reason("support-bot v12 was rejected on holdout.", rejected) == nil)
        #expect(reason("The deploy of fraud v12 was rejected.", Self.deployed) == .polarity, "no fact of the deploy says reject")
        let held = Self.evidence(
            .succeeded, "eval of support-bot v14 on holdout: 75% passed, hold", "verdict: hold\ncases: 18/24 passed (75%)",
            command: "eval support-bot v14")
        #expect(reason("support-bot v14 was rejected on holdout.", held) == .polarity, "the verdict is hold, not reject")
        // A failure is never told as a success because a fact's value says a state worked.
        let failedSync = Self.evidence(
            .failed, "POST /api/v1/applications/fraud-prod/sync answered 409 Conflict.", "status.health.status: Healthy\ntrain: succeeded",
            command: "sync fraud --env prod")
        #expect(reason("The sync of fraud-prod failed. Training succeeded.", failedSync) == .polarity)
        #expect(reason("The sync of fraud-prod failed, but it is healthy.", failedSync) == .polarity)
        // Only fact lines report states: a word in a table cell is no state.
        let tabled = Self.evidence(
            .succeeded, "eval of support-bot v12 on holdout: 63% passed, promote", "verdict: promote\ngroup | state\nall | reject",
            command: "eval support-bot v12")
        #expect(reason("support-bot v12 was rejected.", tabled) == .polarity)
    }

    @Test func aFailureToldAsAStateThatWorkedIsRefused() {
        #expect(reason("recsys in models-prod is ready.", Self.unauthorized) == .polarity)
        #expect(reason("fraud now runs 6 replicas in prod.", Self.forbidden) == .polarity)
        #expect(reason("ranker scaled from 2 to 6 replicas: 6 updated, 6 available.", Self.partial) == .polarity)
        #expect(summaryGuard.check("ranker in models-staging is not rolled out: 1/6 updated.", against: Self.partial) == .accepted)
        #expect(reason("No deploy of fraud failed.", Self.forbidden) == .polarity, "a negation four words before still turns the claim")
    }

    @Test(arguments: [
        "fraud v12 was not deployed to prod.", "The deploy of fraud v12 to prod timed out.", "fraud v12 is unhealthy in prod.",
        "The rollout of fraud v12 in prod stalled.", "fraud v12 did not make it to prod successfully.", "The deploy was rejected.",
    ])
    func aSuccessToldAsAFailureInOtherWordsIsRefused(summary: String) {
        #expect(reason(summary, Self.deployed) == .polarity)
    }

    @Test func aNumberBeforeAVerbIsAClaimAndBeforeANounACount() {
        let scaled = Self.evidence(.succeeded, "Scaled fraud in staging from 2 to 5 replicas.", command: "scale fraud 5")
        #expect(reason("Scaling fraud to 5 replicas in staging: 5 failed.", scaled) == .polarity)
        #expect(summaryGuard.check("fraud in prod served 1.485 req/s with errors peaking at 1.826%.", against: Self.metrics) == .accepted)
    }

    @Test func numbersKeepTheirScaleAndZeroIsNeverARounding() {
        #expect(summaryGuard.check("The error rate of fraud in prod was 1.59%.", against: Self.metrics) == .accepted)
        #expect(summaryGuard.check("The error rate of fraud in prod was 1.6%.", against: Self.metrics) == .accepted)
        #expect(reason("The error rate of fraud in prod was 0.02%.", Self.metrics) == .number)
        #expect(reason("The error rate of fraud in prod was 159%.", Self.metrics) == .number)
        #expect(reason("The error rate of fraud in prod was 2%.", Self.metrics) == .number, "2 is not 1.59 rounded within 5 %")
        #expect(reason("fraud in prod had 0 errors.", Self.metrics) == .number)
    }

    @Test func aChangeTheOutcomeDoesNotReportIsNotToldBecauseTheCommandAskedForIt() {
        let unchanged = Self.evidence(.succeeded, "churn@champion is version 3.", command: "promote-alias churn 3")
        #expect(reason("The alias champion of churn has been promoted to version 3.", unchanged) == .unstated)
        #expect(summaryGuard.check("churn@champion is version 3.", against: unchanged) == .accepted)
    }

    @Test func aSuccessClaimsOnlyActionsTheOutcomeNames() {
        let counted = Self.evidence(.succeeded, "2 series for `sum by (code) (model_replicas)`.", command: "query sum by (code) (model_replicas)")
        #expect(reason("The query is a success, as it succeeded in replicating the churn model.", counted) == .unstated)
        #expect(summaryGuard.check("Deployed fraud v12 to models-prod successfully.", against: Self.deployed) == .accepted)
    }

    @Test func aNumberBelongsToTheNameTheDataGivesItTo() {
        let trained = Self.evidence(
            .succeeded, "`retrain` finished.", "log:\nstep 56/56 loss=0.284\nvalidation auc=0.947\nvalidation accuracy=0.921",
            command: "retrain churn")
        #expect(summaryGuard.check("retrain finished with a validation auc of 0.947 and accuracy of 0.921.", against: trained) == .accepted)
        #expect(reason("retrain finished with a validation accuracy of 0.947 and auc of 0.921.", trained) == .number)
        #expect(summaryGuard.check("Accuracy 0.91, F1 0.87, latency about 42 ms.", against: SummaryGuardTests.evaluated) == .accepted)
    }

    @Test func anOutcomeThatFoundNothingIsNotToldAsOneThatFoundSomething() {
        let empty = Self.evidence(.succeeded, "No sandbox deployments yet. Try `deploy fraud-model v1`.", command: "status")
        #expect(reason("The model `fraud-model v1` is available.", empty) == .polarity)
        #expect(summaryGuard.check("There are no sandbox deployments yet.", against: empty) == .accepted)
        #expect(reason("The query `model_replicas{model=\"churn\"}` returned series.", Self.query) == .polarity)
    }

    @Test func aChangeMustRunTheWayTheDataSays() {
        #expect(summaryGuard.check("Rolled back fraud in prod from v12 to v11.", against: Self.rolledBack) == .accepted)
        #expect(reason("Rolled back fraud in prod from v11 to v12.", Self.rolledBack) == .name)
    }

    @Test func aSuccessMayGiveNoReasonOrPurposeTheDataLacks() {
        #expect(reason("Rolled back fraud in prod from v12 to v11 after v12 regressed.", Self.rolledBack) == .cause)
        #expect(reason("Scaled ranker in prod from 8 to 0 replicas for maintenance.", Self.scaledDown) == .cause)
        #expect(summaryGuard.check("Scaled ranker in prod from 8 to 0 replicas.", against: Self.scaledDown) == .accepted)
    }

    @Test func faithfulFailureWordingsAreAccepted() {
        #expect(summaryGuard.check("The evaluation job failed to complete: it reached the backoff limit.", against: Self.evalFailed) == .accepted)
        #expect(summaryGuard.check("The bot's credentials were refused for recsys in models-prod.", against: Self.unauthorized) == .accepted)
        #expect(summaryGuard.check("Nothing was scaled: the bot may not patch fraud in models-prod.", against: Self.forbidden) == .accepted)
    }

    @Test func slackEmphasisIsMarkupAndABacktickedQuotationIsNot() {
        #expect(reason("fraud v12 was ~not~ deployed to prod.", Self.deployed) == .markup)
        #expect(reason("fraud v12 is _live_ in prod.", Self.deployed) == .markup)
        #expect(summaryGuard.check("The query `model_replicas{model=\"churn\"}` returned 0 series.", against: Self.query) == .accepted)
    }

    @Test func digitsWithCombiningMarksNeverTrap() {
        let evidence = Self.evidence(.succeeded, "Step 3\u{FE0F}\u{20E3} of 5\u{0301} done.", command: "status")
        #expect(summaryGuard.check("Step 3\u{FE0F}\u{20E3} and 5\u{0301} done.", against: evidence).reason != .empty)
    }

    @Test func namesAroundProseDoNotDecideItsLanguage() {
        let evidence = Self.evidence(.failed, "fraud-de v3 in de-staging: no data.", command: "metrics fraud-de")
        #expect(reason("fraud-de v3 in de-staging: no data.", evidence) != .language)
    }
}
