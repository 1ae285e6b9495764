import ChatOpsCore
import Foundation
import LLM
import Testing

/// Each of the guard's checks, with the summaries the issue saw posted and the wordings each check
/// must let through.
@Suite("Summary guard")
struct SummaryGuardTests {
    static let evaluated = SummaryEvidence(
        status: .succeeded,
        data:
            "status: succeeded\nheadline: Evaluated fraud v12 on holdout (640 cases).\naccuracy: 0.912\nf1: 0.87\nlatency: 41.5 ms\ncommand: eval fraud v12"
    )
    static let scaled = SummaryEvidence(
        status: .succeeded,
        data: "status: succeeded\nheadline: Scaled fraud in staging from 2 to 5 replicas.\nreplicas: 5/5 ready\ncommand: scale fraud 5")
    static let noDeployment = SummaryEvidence(
        status: .failed,
        data: "status: failed\nheadline: There is no sandbox deployment of fraud in staging. Deploy it first.\ncommand: rollback fraud")
    static let partialRollout = SummaryEvidence(
        status: .failed,
        data:
            "status: failed\nheadline: Rollout of churn v3 failed: 1/3 replicas ready after 300 s.\nnamespace: ml-serving\ncommand: deploy churn v3 --env prod"
    )
    let summaryGuard = SummaryGuard()

    func reason(_ summary: String, _ evidence: SummaryEvidence) -> SummaryGuard.Reason? {
        summaryGuard.check(summary, against: evidence).reason
    }

    @Test func theSummariesTheIssueSawPostedAreRefusedEachForItsReason() {
        #expect(
            reason(
                "Error: The command failed to execute. The data was scaled up from 2 to 5 replicas, but it didn't meet the requirements of scaling a function.",
                Self.scaled) == .polarity)
        #expect(reason("```python\nreturn \"Successful\"\nprint(status_function())\n```", Self.scaled) == .markup)
        #expect(reason("return \"Successful\"", Self.scaled) == .markup)
        #expect(reason("The command is not supported by the ML team.", Self.noDeployment) == .cause)
    }

    @Test(arguments: [
        "The deploy did not fail.", "No errors were reported.", "Scaled fraud in staging from 2 to 5 replicas, all 5 ready.",
        "fraud now runs 5 replicas in staging without any failures.", "The scale succeeded: 5/5 replicas are ready.",
        "Nothing went wrong while scaling fraud to 5 replicas.",
    ])
    func aSuccessMayBeCalledASuccessInAnyWording(summary: String) {
        #expect(summaryGuard.check(summary, against: Self.scaled) == .accepted, "\(summaryGuard.check(summary, against: Self.scaled))")
    }

    @Test(arguments: [
        "The scale failed.", "Scaling fraud was unsuccessful.", "fraud could not be scaled.", "An error stopped the scale.",
        "The scale did not succeed.", "The scale was not completed.", "Scaling fraud crashed.", "The scale of fraud is broken.",
    ])
    func aSuccessCalledAFailureIsRefused(summary: String) {
        #expect(reason(summary, Self.scaled) == .polarity)
    }

    @Test(arguments: [
        "The rollback of fraud failed: there is no sandbox deployment of fraud in staging.",
        "There is no deployment of fraud in staging; deploy it first.",
        "The rollback did not succeed because there is no deployment of fraud in staging.", "The rollback was not completed.",
        "The command failed to execute.",
    ])
    func aFailureMayBeCalledAFailureWithTheDatasOwnReason(summary: String) {
        #expect(summaryGuard.check(summary, against: Self.noDeployment) == .accepted, "\(summaryGuard.check(summary, against: Self.noDeployment))")
    }

    @Test(arguments: [
        "The rollback completed.", "fraud was rolled back in staging.", "The rollback succeeded.", "The rollback finished without errors.",
        "Rolled back successfully.", "The rollback did not fail.", "fraud has been rolled back.",
    ])
    func aFailureCalledASuccessOrADoneChangeIsRefused(summary: String) {
        #expect(reason(summary, Self.noDeployment) == .polarity)
    }

    @Test func aFailureWhoseDataReportsAPartialChangeMayRepeatIt() {
        #expect(summaryGuard.check("Rollout of churn v3 failed with 1/3 replicas ready after 300 s.", against: Self.partialRollout) == .accepted)
        #expect(reason("churn v3 was deployed to prod.", Self.partialRollout) == .polarity)
    }

    @Test func measuresAreNotVerdicts() {
        let evidence = SummaryEvidence(
            status: .succeeded, data: "status: succeeded\nheadline: fraud in prod\nerror_rate: 0.002\nfailed_requests: 3\ncommand: metrics fraud")
        #expect(summaryGuard.check("The error rate of fraud in prod is 0.2%.", against: evidence) == .accepted)
        #expect(summaryGuard.check("fraud in prod had 3 failed requests.", against: evidence) == .accepted)
        #expect(reason("fraud in prod is failing.", evidence) == .polarity)
    }

    @Test func numbersMustComeFromTheData() {
        #expect(summaryGuard.check("fraud v12 reached 91.2% accuracy on 640 cases.", against: Self.evaluated) == .accepted)
        #expect(summaryGuard.check("Accuracy 0.91, F1 0.87, latency about 42 ms.", against: Self.evaluated) == .accepted)
        #expect(summaryGuard.check("Accuracy was 95.3%.", against: Self.evaluated).reason == .number)
        #expect(summaryGuard.check("Evaluated on 2024-01-05.", against: Self.evaluated) == .refused(.number, "2024"))
    }

    @Test func namesVersionsEnvironmentsAndQuotedPhrasesMustComeFromTheData() {
        #expect(summaryGuard.check("fraud v13 reached 91.2% accuracy.", against: Self.evaluated) == .refused(.name, "v13"))
        #expect(summaryGuard.check("fraud v1 reached 91.2% accuracy.", against: Self.evaluated) == .refused(.name, "v1"), "v1 is not v12")
        #expect(summaryGuard.check("churn v3 failed in staging.", against: Self.partialRollout) == .refused(.name, "staging"))
        #expect(summaryGuard.check("churn v3 failed in production: 1/3 ready.", against: Self.partialRollout) == .accepted, "production is prod")
        #expect(summaryGuard.check("churn v3 failed in ml-serving.", against: Self.partialRollout) == .accepted)
        #expect(summaryGuard.check("churn v3 failed in kserve-system.", against: Self.partialRollout) == .refused(.name, "kserve-system"))
        #expect(summaryGuard.check("churn v3 failed with OOMKilled pods.", against: Self.partialRollout).reason == .name)
        #expect(summaryGuard.check("churn v3 failed with CUDA errors.", against: Self.partialRollout).reason == .name)
        #expect(summaryGuard.check("The backend said \"model not found\".", against: Self.noDeployment) == .refused(.name, "\"model not found\""))
        #expect(summaryGuard.check("The rollback failed; the backend said \"Deploy it first\".", against: Self.noDeployment) == .accepted)
        #expect(summaryGuard.check("The ML model scored 41.5 ms latency.", against: Self.evaluated) == .accepted, "ML and units are not names")
    }

    @Test func aFailureSummaryMayGiveOnlyTheDatasReasons() {
        #expect(reason("The rollback failed because the cluster ran out of memory.", Self.noDeployment) == .cause)
        #expect(reason("The rollback failed due to missing permissions.", Self.noDeployment) == .cause)
        #expect(reason("Rollout of churn v3 failed because the image could not be pulled.", Self.partialRollout) == .cause)
        #expect(
            summaryGuard.check("Rollout of churn v3 failed: only 1/3 replicas were ready after 300 s.", against: Self.partialRollout) == .accepted)
    }

    @Test func aSuccessSummaryMayGiveNoInventedCause() {
        #expect(reason("fraud scaled to 5 replicas because traffic doubled.", Self.scaled) == .cause)
        #expect(summaryGuard.check("fraud scaled from 2 to 5 replicas in staging.", against: Self.scaled) == .accepted)
    }

    @Test(arguments: [
        "**Done**: fraud scaled to 5 replicas.", "# Summary\nfraud scaled.", "- fraud scaled to 5", "{\"status\": \"succeeded\"}",
        "<b>fraud</b> scaled to 5 replicas.", "fraud scaled, see [the run](http://example.com).", "fraud: ```5``` replicas.", "fraud: `5 replicas.",
        "status_function() is done.",
        "replicas == 5", "fraud scaled;",
    ])
    func codeMarkupAndJSONAreRefused(summary: String) {
        #expect(reason(summary, Self.scaled) == .markup)
    }

    @Test func aNameOrTheCommandInBackticksIsAQuotationOfTheData() {
        #expect(summaryGuard.check("`scale fraud 5` scaled fraud from 2 to 5 replicas.", against: Self.scaled) == .accepted)
        #expect(summaryGuard.check("`rescale fraud` scaled fraud.", against: Self.scaled) == .refused(.name, "\"rescale fraud\""))
    }

    @Test func aSuccessToldWithWordsTheDataDoesNotHoldIsRefused() {
        let story = "fraud was scaled to 5 replicas, a major update that brings new features and capabilities."
        #expect(reason(story, Self.scaled) == .unstated)
        #expect(summaryGuard.check("fraud now serves from 5 replicas in staging.", against: Self.scaled) == .accepted, "a little paraphrase")
    }

    @Test func mentionsOfAnyPlatformAreRefused() {
        for summary in ["All good <!channel>", "ping @here", "cc <@U123>", "see <#C042>", "thanks @alice", "<at>Bob</at> fraud scaled"] {
            #expect(reason(summary, Self.scaled) == .mention, "\(summary)")
        }
        #expect(summaryGuard.check("fraud scaled from 2 to 5 replicas in staging.", against: Self.scaled) == .accepted)
    }

    @Test func theSummaryIsInThePromptsLanguage() {
        #expect(reason("Das Modell fraud wurde in staging auf 5 Replikate skaliert und ist bereit.", Self.scaled) == .language)
        #expect(reason("Модель fraud масштабирована до 5 реплик.", Self.scaled) == .language)
        let german = SummaryEvidence(status: .succeeded, data: Self.scaled.data, language: "de")
        #expect(summaryGuard.check("Das Modell fraud wurde in staging von 2 auf 5 skaliert.", against: german).reason != .language)
        #expect(LanguageGuess.language(of: "Fasse das Ergebnis von dem Befehl zusammen und nenne die Zahlen, die in den Daten stehen.") == "de")
        #expect(LanguageGuess.language(of: "Summarize the result of the command in two sentences, with the numbers in the data.") == "en")
    }

    @Test func lengthIsBounded() {
        let long = Array(repeating: "fraud scaled in staging from 2 to 5 replicas", count: 12).joined(separator: " and ") + "."
        #expect(summaryGuard.check(long, against: Self.scaled).reason == .length)
        let many = Array(repeating: "fraud scaled.", count: 4).joined(separator: " ")
        #expect(summaryGuard.check(many, against: Self.scaled) == .refused(.length, "4 sentences"))
        #expect(summaryGuard.check("   ", against: Self.scaled) == .refused(.empty, "no text"))
    }

    @Test func aGuardWithFewerChecksLetsMoreThrough() {
        let numbersOnly = SummaryGuard(checks: [.empty, .mention, .number])
        #expect(numbersOnly.check("The scale failed.", against: Self.scaled) == .accepted)
        #expect(SummaryGuard().check("The scale failed.", against: Self.scaled).reason == .polarity)
    }
}
