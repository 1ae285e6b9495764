import ChatOpsCore
import Foundation
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// Real programs run by the program backend, from a folder of scripts set up as
    /// `ProgramBackendTests` does; the command is `commands/examples/more/retrain.yaml` and its kin.
    static func programEntries() async throws -> [CorpusEntry] {
        // Each program gets a folder of its own (several are called `retrain`), and the backend that may run from it.
        var folders: [ProgramBackendTests.Scripts] = []
        /// A fresh folder holding `name`; the action that runs it with `arguments`, and that folder.
        func program(_ name: String, _ text: String, _ arguments: [String]) throws -> (action: Action, scripts: ProgramBackendTests.Scripts) {
            let scripts = try ProgramBackendTests.Scripts()
            try scripts.write(name, text)
            folders.append(scripts)
            var parameters = ["program": scripts.folder.appendingPathComponent(name).path]
            for (index, argument) in arguments.enumerated() { parameters["arg\(index + 1)"] = argument }
            return (action("jobs", "run", parameters), scripts)
        }

        let trains = try program(
            "retrain",
            """
            #!/bin/sh
            echo "retraining $2 on dataset $4"
            echo "loaded 48210 rows, 312 features"
            echo "epoch 1/3 loss=0.412 val_loss=0.398"
            echo "epoch 2/3 loss=0.305 val_loss=0.311"
            echo "epoch 3/3 loss=0.281 val_loss=0.296"
            echo "accuracy=0.914"
            echo "registered models:/$2/13"

            """, ["--model", "fraud", "--dataset", "jan_2025"])
        let trainsLong = try program(
            "retrain",
            """
            #!/bin/sh
            echo "retraining $2 on dataset $4"
            i=1
            while [ $i -le 56 ]; do echo "step $i/56 loss=0.$((900 - i * 11)) lr=0.001"; i=$((i+1)); done
            echo "validation auc=0.947"
            echo "validation accuracy=0.921"
            echo "registered models:/$2/8"

            """, ["--model", "churn", "--dataset", "q3_events"])
        let trainsAndFails = try program(
            "retrain",
            """
            #!/bin/sh
            echo "retraining $2 on dataset $4"
            i=1
            while [ $i -le 55 ]; do echo "reading shard $i/120 of $4"; i=$((i+1)); done
            echo "Traceback (most recent call last):" >&2
            echo "  File \\"train.py\\", line 88, in load_shard" >&2
            echo "FileNotFoundError: s3://features/$4/shard-056.parquet does not exist" >&2
            echo "error: training data missing for $2 ($4): shard 56 of 120" >&2
            exit 2

            """, ["--model", "ranker", "--dataset", "clicks_2024q4"])
        let backfillFails = try program(
            "backfill-features",
            """
            #!/bin/sh
            echo "backfilling features of $2 from $4"
            echo "error: the feature store refused the write: quota exceeded for table $2_features" >&2
            exit 1

            """, ["--model", "churn", "--from", "2024-11-01"])
        let trainsTooLong = try program(
            "retrain",
            """
            #!/bin/sh
            echo "retraining $2 on dataset $4"
            sleep 30
            echo "registered models:/$2/5"

            """, ["--model", "recsys", "--dataset", "full_history"])
        let scoresMuch = try program(
            "batch-score",
            """
            #!/bin/sh
            i=1
            while [ $i -le 3000 ]; do echo "scored batch $i/3000 of $2: 512 rows"; i=$((i+1)); done
            echo "scored 1536000 rows of $2 for $4"

            """, ["--model", "fraud", "--date", "2025-01-14"])
        let warmsQuietly = try program("warm-cache", "#!/bin/sh\nexit 0\n", ["--model", "ranker"])

        let scripts = try ProgramBackendTests.Scripts()
        folders.append(scripts)
        try scripts.write("retrain", "#!/bin/sh\necho retraining\n", in: scripts.outside)
        let outside = action("jobs", "run", ["program": scripts.outside.appendingPathComponent("retrain").path, "arg1": "--model", "arg2": "fraud"])
        let missing = action("jobs", "run", ["program": scripts.folder.appendingPathComponent("evaluate").path, "arg1": "--model", "arg2": "fraud"])

        let roomy = 16 << 10
        let scenarios: [CorpusScenario] = [
            .success(
                "program/retrain", "retrain fraud --dataset jan_2025", trains.action,
                entities: ["retrain", "fraud", "jan_2025"],
                forbidden: [#"\bexit status [1-9]"#, #"\b(stopped|killed|timed out)\b"#, #"\baccuracy\W+(of |is |was )?0\.(41|30|28)"#],
                note: "retrain finished with exit status 0; its log shows three epochs for fraud on jan_2025, accuracy 0.914 and models:/fraud/13.",
                on: trains.scripts.backend(outputBytes: roomy)),
            .success(
                "program/retrain-long-log", "retrain churn --dataset q3_events", trainsLong.action,
                entities: ["retrain", "churn", "q3_events"],
                forbidden: [#"\bexit status [1-9]"#, #"\b(stopped|killed|timed out|truncated)\b"#, #"\bloss (rose|increased|went up)\b"#],
                note:
                    "retrain finished (exit status 0) after 56 steps for churn on q3_events with falling loss; validation auc 0.947, accuracy 0.921.",
                on: trainsLong.scripts.backend(outputBytes: roomy)),
            .failure(
                "program/retrain-fails-with-stderr", "retrain ranker --dataset clicks_2024q4", trainsAndFails.action,
                entities: ["retrain", "ranker", "clicks_2024q4"],
                forbidden: [
                    #"(?<!no )\bmodel (was )?(saved|registered)\b"#, #"\b(read|loaded) (all )?120 shards\b"#, #"\bexit status (0|1|3)\b"#,
                    #"\b(timed out|time limit)\b"#,
                ],
                reasons: ["exit status 2", "training data missing", "does not exist", "shard-056"],
                note:
                    "retrain failed with exit status 2: after reading 55 of 120 shards, shard 56 of clicks_2024q4 does not exist (training data missing).",
                on: trainsAndFails.scripts.backend(outputBytes: roomy)),
            .failure(
                "program/backfill-fails", "backfill churn --from 2024-11-01", backfillFails.action,
                entities: ["backfill-features", "churn", "2024-11-01"],
                forbidden: [
                    #"(?<!not )(?<!nothing )\b(were|was|been) backfilled\b"#, #"\bexit status (0|2|3)\b"#, #"\bnot (found|an executable)\b"#,
                ],
                reasons: ["exit status 1", "quota exceeded", "refused the write"],
                note: "backfill-features failed with exit status 1: the feature store refused the write (quota exceeded for churn_features).",
                on: backfillFails.scripts.backend(outputBytes: roomy)),
            .failure(
                "program/retrain-time-limit", "retrain recsys --dataset full_history", trainsTooLong.action,
                entities: ["retrain", "recsys", "full_history"],
                forbidden: [#"\bmodels:/recsys/5\b"#, #"\bexit status \d"#, #"(?<!never )(?<!not )\bfinished\b"#],
                reasons: ["stopped after the time limit", "1s"],
                note: "retrain was stopped after its 1 s time limit while training recsys on full_history; it only logged its start.",
                on: trainsTooLong.scripts.backend(timeout: .seconds(1))),
            .success(
                "program/batch-score-long-output", "score fraud --date 2025-01-14", scoresMuch.action,
                entities: ["batch-score", "fraud", "2025-01-14"],
                forbidden: [#"\bexit status [1-9]"#, #"\b(stopped|killed|timed out)\b"#],
                note: "batch-score finished (exit status 0); only the end of its long log is kept: it scored 1536000 rows of fraud for 2025-01-14.",
                on: scoresMuch.scripts.backend(outputBytes: 4096)),
            .success(
                "program/warm-cache-silent", "warm-cache ranker", warmsQuietly.action,
                entities: ["warm-cache", "ranker"],
                forbidden: [#"\bexit status [1-9]"#, #"\b(log|output) (shows|says|reports)\b"#, #"\bwarmed \d+"#],
                note: "warm-cache finished with exit status 0 and printed nothing.",
                on: warmsQuietly.scripts.backend()),
            .failure(
                "program/not-allowed", "retrain fraud", outside,
                entities: ["retrain", "fraud"],
                forbidden: [#"\bexit status\b"#, #"(?<!nothing )(?<!never )(?<!not )\b(ran|started|finished)\b"#, #"\bnot (found|an executable)\b"#],
                reasons: ["not in a folder this bot may run programs from"],
                note: "Nothing ran: the retrain program lies outside the folders this bot may run programs from."),
            .failure(
                "program/missing", "evaluate fraud", missing,
                entities: ["evaluate", "fraud"],
                forbidden: [#"\bexit status\b"#, #"(?<!nothing )(?<!never )(?<!not )\b(ran|started|finished)\b"#, #"\bnot (allowed|in a folder)\b"#],
                reasons: ["not an executable file"],
                note: "Nothing ran: there is no executable evaluate program in the allowed folder."),
        ]
        // The refusals use the last folder's backend: `outside` and the missing `evaluate` are checked against it.
        let entries = try await record("program", scenarios, on: scripts.backend())
        withExtendedLifetime(folders) {}
        return entries
    }
}
