import ChatOpsCore
import Foundation
import LLM
import Testing

@Suite("Secret redaction")
struct SecretRedactorTests {
    @Test(arguments: [
        "Authorization: Bearer abcdefghijklmnop1234",
        "token xoxb-123456789012-abcdefghijkl",
        "key sk-proj-ABCDEFGHIJKLMNOPQRSTUV",
        "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
        "AKIAABCDEFGHIJKLMNOP",
        "postgres://admin:hunter22@db.internal:5432/models",
        "password=hunter22",
        "api_key: \"zzzzzzzzzz\"",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbg",
    ])
    func redactsCommonShapes(text: String) {
        let redacted = SecretRedactor().redact(text)
        #expect(redacted.contains(SecretRedactor.placeholder), "\(redacted)")
        for secret in ["abcdefghijklmnop1234", "xoxb-123456789012", "sk-proj-ABCD", "ghp_ABCD", "AKIAABCD", "hunter22", "zzzzzzzzzz", "c2lnbmF0dXJl"]
        {
            #expect(!redacted.contains(secret))
        }
    }

    @Test func redactsConfiguredSecretsAndKeepsOrdinaryText() {
        let redactor = SecretRedactor(secrets: ["s3cret-value"])
        #expect(redactor.redact("the value s3cret-value leaked") == "the value [REDACTED] leaked")
        let ordinary = "Deployed fraud v12 to prod: accuracy 0.912, p95 41 ms, 3/3 replicas"
        #expect(redactor.redact(ordinary) == ordinary)
    }
}

@Suite("Outcome redaction")
struct OutcomeRedactionTests {
    @Test func everyTextABackendReportsIsRedactedBeforeItIsShown() {
        let outcome = Outcome(
            status: .failed, headline: "login with password=hunter22 failed",
            facts: [Fact("token", "xoxb-123456789012-abcdefghijkl"), Fact("replicas", "3/3")],
            table: [["key", "value"], ["api_key", "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"]],
            log: "export ARGO=configured-secret-value\nAuthorization: Bearer abcdefghijklmnop1234")
        let clean = SecretRedactor(secrets: ["configured-secret-value"]).redact(outcome)
        let shown = [clean.headline, clean.log ?? ""] + clean.facts.map(\.value) + clean.table.flatMap { $0 }
        for secret in ["hunter22", "xoxb-1234", "ghp_ABCD", "configured-secret-value", "abcdefghijklmnop1234"] {
            #expect(!shown.joined(separator: "\n").contains(secret), "\(secret)")
        }
        #expect(clean.facts[1] == Fact("replicas", "3/3"), "ordinary facts stay")
        #expect(clean.status == .failed)
    }
}
