import ChatOpsCore
import LLM
import OpsBackends
import Testing

@Suite("Files that go with a result")
struct AttachmentTests {
    /// Wraps the sandbox: every result carries a file, with a secret and a broadcast mention in it.
    struct AttachingResults: Backend {
        let inner: any Backend
        var name: String { inner.name }
        var operations: Set<String> { inner.operations }
        func execute(_ action: Action, context: ExecutionContext) async throws -> Outcome {
            var outcome = try await inner.execute(action, context: context)
            outcome.attachment = Attachment(name: "cases.jsonl", text: "{\"answer\":\"export DB_PASSWORD=hunter2-very-secret\"}\n")
            return outcome
        }
    }

    @Test func theFileIsPostedInTheResultsThreadAfterTheResultWithSecretsRedacted() async throws {
        let bot = try TestBot(backend: { AttachingResults(inner: $0) })
        try await bot.say("status fraud", as: "alice")
        await bot.drain()
        let attachments = await bot.platform.attachments
        #expect(attachments.count == 1)
        let attached = try #require(attachments.first)
        let posts = await bot.platform.posts
        let result = try #require(posts.firstIndex { $0.key.hasSuffix(":result") })
        #expect(attached.afterPosts > result, "posted after the result")
        #expect(attached.key.hasSuffix(":file") && attached.conversation.thread == posts[result].conversation.thread)
        #expect(!attached.file.text.contains("hunter2") && attached.file.text.contains(SecretRedactor.placeholder))
    }

    @Test func aLongFileIsCutAfterItsSecretsAreRedactedSoACutNeverSplitsOne() throws {
        let secret = " export DB_PASSWORD=hunter2-very-secret-value"
        let text = String(repeating: "a", count: Attachment.sizeLimit - 30) + secret + "\n" + String(repeating: "b", count: 100)
        let outcome = Outcome(status: .succeeded, headline: "eval", attachment: Attachment(name: "cases.jsonl", text: text))
        let clean = try #require(SecretRedactor().redact(outcome).attachment)
        #expect(!clean.text.contains("hunter2") && !clean.text.contains("very-secret"), "no part of the secret is left")
        #expect(clean.text.hasSuffix("bytes of \(Attachment.sizeLimit - 30 + " export DB_PASSWORD=[REDACTED]".utf8.count + 101)\n"))
        #expect(clean.text.utf8.count < Attachment.sizeLimit + 100)
    }
}
