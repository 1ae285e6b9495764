import ChatOpsCore
import Foundation
import Testing

@Suite("Invocation: display text and fingerprint")
struct InvocationTests {
    @Test func displayTextPutsPositionalArgumentsFirst() throws {
        #expect(try Fixtures.invocation("deploy --env prod fraud v12").displayText == "deploy fraud v12 --env prod")
        #expect(try Fixtures.invocation("deploy fraud v12").displayText == "deploy fraud v12 --env staging")
        #expect(
            try Fixtures.invocation("deploy fraud v12 --canary 10% --env prod").displayText
                == "deploy fraud v12 --env prod --canary 10")
    }

    @Test func displayTextUsesTypedFormsAndQuotes() throws {
        #expect(try Fixtures.invocation("metrics fraud --window 90m --detailed").displayText == "metrics fraud --window 1h30m --detailed")
        #expect(try Fixtures.invocation("metrics fraud").displayText == "metrics fraud --window 1h --no-detailed")
        #expect(try Fixtures.invocation(#"status "fraud model""#).displayText == #"status "fraud model""#)
    }

    @Test func theDisplayTextParsesBackToTheSameInvocation() throws {
        for text in ["deploy --env prod --canary 5 fraud v12", #"status 'a "b" c'"#, "metrics fraud --window 2h --detailed"] {
            let first = try Fixtures.invocation(text)
            let second = try Fixtures.invocation(first.displayText)
            #expect(second == first, "\(text) → \(first.displayText)")
        }
    }

    @Test func fingerprintIgnoresArgumentOrderAndSpelling() throws {
        let reference = try Fixtures.invocation("deploy fraud v12 --env prod").fingerprint
        #expect(reference.count == 64)
        #expect(reference.allSatisfy { $0.isHexDigit })
        for text in ["/mlops deploy --env=prod fraud v12", "deploy --version v12 --model fraud env=PROD", "@chatops: deploy fraud v12 --env prod"] {
            #expect(try Fixtures.invocation(text).fingerprint == reference, "\(text)")
        }
    }

    @Test func aDefaultSpelledOutHasTheSameFingerprint() throws {
        #expect(try Fixtures.invocation("deploy fraud v12").fingerprint == Fixtures.invocation("deploy fraud v12 --env staging").fingerprint)
    }

    @Test func fingerprintChangesWhenAnyArgumentChanges() throws {
        let reference = try Fixtures.invocation("deploy fraud v12 --env prod").fingerprint
        let variants = [
            "deploy fraud v13 --env prod",
            "deploy fraud2 v12 --env prod",
            "deploy fraud v12 --env staging",
            "deploy fraud v12 --env prod --canary 10",
        ]
        let fingerprints = try variants.map { try Fixtures.invocation($0).fingerprint }
        #expect(!fingerprints.contains(reference))
        #expect(Set(fingerprints).count == variants.count)
    }

    @Test func fingerprintCoversTheCommandName() {
        let arguments: [String: ArgumentValue] = ["model": .string("fraud")]
        #expect(Invocation(command: "status", arguments: arguments).fingerprint != Invocation(command: "rollback", arguments: arguments).fingerprint)
    }

    @Test func canonicalTextIsSortedAndQuoted() {
        let invocation = Invocation(command: "status", arguments: ["model": .string("a b"), "env": .string("prod")])
        #expect(invocation.canonicalText == #"status env=prod model="a b""#)
        #expect(invocation.displayText == #"status --env prod --model "a b""#)
    }

    @Test func templateValuesAreThePlainStrings() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12 --canary 10%")
        #expect(invocation.templateValues == ["model": "fraud", "version": "v12", "env": "staging", "canary": "10"])
    }

    @Test func actionRendersTheCommandTemplates() throws {
        let invocation = try Fixtures.invocation("deploy fraud v12 --env prod")
        let action = try Action(spec: Fixtures.deploy.action, invocation: invocation)
        #expect(action.backend == "sandbox")
        #expect(action.operation == "deploy")
        #expect(action.parameters == ["model": "fraud", "version": "v12", "env": "prod", "canary": ""])
        #expect(action.invocation == invocation)
    }
}

@Suite("Button payloads")
struct ButtonPayloadTests {
    let fingerprint = String(repeating: "0123456789abcdef", count: 4)

    @Test func aPayloadReadsBackAsTheSameButtonAndFitsEveryPlatform() throws {
        for kind in ButtonAction.Kind.allCases {
            let button = ButtonAction(kind: kind, label: "x", requestID: UUID().uuidString.lowercased(), fingerprint: fingerprint)
            let read = try #require(ButtonAction(payload: button.payload))
            #expect(read.kind == kind && read.requestID == button.requestID && read.fingerprint == "0123456789abcdef")
            // Telegram's callback_data holds 64 bytes; Discord's custom_id 100 characters.
            #expect(button.payload.utf8.count <= 64, "\(button.payload)")
        }
    }

    @Test(arguments: [
        "approve:k7q2m9", "approve:k7q2m9:0123", "vote:k7q2m9:0123456789abcdef", "approve::0123456789abcdef", "approve:k7q2m9:0123456789abcdeg", "",
    ])
    func whatIsNotAPayloadIsRefused(payload: String) {
        #expect(ButtonAction(payload: payload) == nil)
    }

    @Test func aStoredButtonFromBeforeCompactPayloadsStillReads() throws {
        let legacy = #"{"kind":"approve","label":"Approve","value":"k7q2m9:\#(fingerprint)"}"#
        let button = try JSONDecoder().decode(ButtonAction.self, from: Data(legacy.utf8))
        #expect(button.requestID == "k7q2m9" && button.fingerprint == "0123456789abcdef" && button.label == "Approve")
        let again = try JSONDecoder().decode(ButtonAction.self, from: JSONEncoder().encode(button))
        #expect(again == button)
    }
}
