import ChatOpsCore
import ChatOpsStore
import Foundation
import Testing

@Suite("Store: evaluation runs")
struct EvalRecordsTests {
    static func run(
        _ id: String, model: String = "fraud", version: String = "v12", dataset: String = "holdout", finishedAt: Double, cancelled: Bool = false,
        verdict: String = "promote"
    ) -> StoredEvalRun {
        StoredEvalRun(
            id: id, model: model, version: version, dataset: dataset, requestedBy: Principal(platform: "slack", userID: "U1"),
            startedAt: Date(timeIntervalSince1970: finishedAt - 60), finishedAt: Date(timeIntervalSince1970: finishedAt), cancelled: cancelled,
            verdict: verdict, reason: "promote: the 95% interval …", baselineRunID: "earlier",
            cases: [
                CaseResult(caseID: "c1", slice: "math", checks: [CheckOutcome(kind: "number", verdict: .pass)], latencyMilliseconds: 812.5),
                CaseResult(caseID: "c2", checks: [CheckOutcome(kind: "judge", verdict: .error("the judge failed"))]),
                CaseResult(
                    caseID: "c3", checks: [CheckOutcome(kind: "contains", verdict: .error("no answer: timeout"))], error: "no answer: timeout"),
            ])
    }

    @Test(arguments: StoreKind.allCases) func aRunIsKeptWithEveryCaseAndRecordingItAgainChangesNothing(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let original = Self.run("r1", finishedAt: 1_750_000_000)
            try await store.recordEvalRun(original)
            var retried = original
            retried.verdict = "reject"
            try await store.recordEvalRun(retried)
            #expect(try await store.evalRun(id: "r1") == original)
            #expect(try await store.evalRun(id: "r1")?.passRate == 1.0 / 3)
            #expect(try await store.evalRun(id: "missing") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func aCancelledRunIsReplacedWhenItsJobRunsAgainInFull(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.recordEvalRun(Self.run("r2", finishedAt: 100, cancelled: true))
            let full = Self.run("r2", finishedAt: 200)
            try await store.recordEvalRun(full)
            #expect(try await store.evalRun(id: "r2") == full)
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout"))?.id == "r2")
            var later = full
            later.verdict = "reject"
            try await store.recordEvalRun(later)
            #expect(try await store.evalRun(id: "r2") == full, "a full run is kept as it was")
        }
    }

    @Test(arguments: StoreKind.allCases) func aKeptRunIsLinkedToItsMLflowRunAndOtherwiseUnchanged(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let run = Self.run("r5", finishedAt: 1_750_000_000)
            try await store.recordEvalRun(run)
            try await store.linkEvalRun(id: "r5", mlflowRunID: "0a1b2c")
            var linked = run
            linked.mlflowRunID = "0a1b2c"
            #expect(try await store.evalRun(id: "r5") == linked)
            try await store.linkEvalRun(id: "absent", mlflowRunID: "x")
            #expect(try await store.evalRun(id: "absent") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func aCancellationRequestIsKeptOnceForItsRunOnly(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = EvalCancellation(
                runID: "r9", requestedBy: Principal(platform: "slack", userID: "U1"), requestedAt: Date(timeIntervalSince1970: 10))
            #expect(try await store.evalCancellation(runID: "r9") == nil)
            try await store.requestEvalCancellation(first)
            try await store.requestEvalCancellation(
                EvalCancellation(runID: "r9", requestedBy: Principal(platform: "slack", userID: "U2"), requestedAt: Date(timeIntervalSince1970: 20)))
            #expect(try await store.evalCancellation(runID: "r9") == first, "the first request is the one kept")
            #expect(try await store.evalCancellation(runID: "r10") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func theLatestRunIsOfThatVersionAndDatasetAndNeverACancelledOne(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for run in [
                Self.run("old", finishedAt: 100), Self.run("newest-v12", finishedAt: 300), Self.run("cancelled", finishedAt: 400, cancelled: true),
                Self.run("v13", version: "v13", finishedAt: 350, verdict: "hold"), Self.run("other-dataset", dataset: "nightly", finishedAt: 500),
                Self.run("other-model", model: "ranker", finishedAt: 600),
            ] {
                try await store.recordEvalRun(run)
            }
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout", version: "v12"))?.id == "newest-v12")
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout"))?.id == "v13")
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "nightly", version: "v13")) == nil)
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "nightly"))?.id == "other-dataset")
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout", otherThanVersion: "v13"))?.id == "newest-v12")
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout", verdict: "hold"))?.id == "v13")
            #expect(try await store.latestEvalRun(EvalRunQuery(model: "fraud", dataset: "holdout", verdict: "promote"))?.id == "newest-v12")
        }
    }
}
