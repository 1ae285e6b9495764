// libFuzzer target: any text into `SecretRedactor`, as backends' output reaches it before chat or a
// model. Built and run by `scripts/fuzz SecretRedactor`.
import FuzzChecks
import LLM

/// Configured secrets the redactor must hide wherever they appear.
let configuredSecrets = ["hunter2hunter2", "s3cr3t-v4lu3-xyz"]
let redactor = SecretRedactor(secrets: configuredSecrets)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecretRedactor(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "SecretRedactor") { text in
        var problems: [String] = []
        let once = redactor.redact(text)
        let twice = redactor.redact(once)
        if twice != once { problems.append("redacting twice changes the text: \(once.debugDescription) became \(twice.debugDescription)") }
        for secret in configuredSecrets where once.contains(secret) { problems.append("the configured secret \(secret) survived redaction") }
        return problems
    }
}
