import ChatOpsCore
import Foundation
import Testing

@Suite("DurationFormat")
struct DurationFormatTests {
    @Test(arguments: [
        ("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86_400), ("1h30m", 5400), ("90", 90), (" 2H ", 7200), ("0", 0), ("1d2h3m4s", 93_784),
    ])
    func parses(text: String, seconds: Int) {
        #expect(DurationFormat.parse(text) == seconds)
    }

    @Test(arguments: ["", "h", "1h30", "-5", "1w", "1.5h", "2 h", "soon", "1h-30m", "٣h"])
    func refuses(text: String) {
        #expect(DurationFormat.parse(text) == nil)
    }

    @Test func formatsTheShortestExactForm() {
        #expect(DurationFormat.format(seconds: 0) == "0s")
        #expect(DurationFormat.format(seconds: 45) == "45s")
        #expect(DurationFormat.format(seconds: 5400) == "1h30m")
        #expect(DurationFormat.format(seconds: 90_061) == "1d1h1m1s")
        #expect(DurationFormat.format(seconds: 172_800) == "2d")
    }

    /// Reachable from chat: `/metrics fraud --window 9999999999999999d` takes the whole process down.
    @Test func hugeDurationsAreRefusedRatherThanCrashing() async {
        await #expect(processExitsWith: .success) {
            precondition(DurationFormat.parse("9999999999999999d") == nil)
            precondition(DurationFormat.parse("9223372036854775807s1s") == nil)
        }
    }

    @Test func formatThenParseRoundTrips() {
        for seconds in [1, 59, 60, 61, 3599, 3600, 86_399, 86_400, 1_000_000] {
            #expect(DurationFormat.parse(DurationFormat.format(seconds: seconds)) == seconds)
        }
    }
}

@Suite("EditDistance")
struct EditDistanceTests {
    @Test func levenshtein() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("abc", "") == 3)
        #expect(EditDistance.between("deploy", "deploy") == 0)
        #expect(EditDistance.between("Deploy", "deploy") == 0, "case is ignored")
        #expect(EditDistance.between("evn", "env") == 2)
    }

    @Test func closestOrdersByDistanceThenName() {
        #expect(EditDistance.closest(to: "stat", among: ["status", "scale", "start", "stats"]) == ["start", "stats", "status"])
    }

    @Test func closestIncludesPrefixesAndDropsFarWords() {
        #expect(EditDistance.closest(to: "dep", among: ["deployment-history", "zzz"]) == ["deployment-history"])
        #expect(EditDistance.closest(to: "metrics", among: ["deploy", "scale"]).isEmpty)
    }

    @Test func closestHonoursTheLimit() {
        #expect(EditDistance.closest(to: "a", among: ["ab", "ac", "ad", "ae"], limit: 2) == ["ab", "ac"])
    }
}

@Suite("MentionSafety")
struct MentionSafetyTests {
    @Test(arguments: ["@channel", "@HERE please", "hi @everyone", "@all", "@room", "<!channel>", "<!subteam^S123>", "<!here|here>"])
    func defusesBroadcasts(text: String) {
        #expect(MentionSafety.containsBroadcast(text))
        let safe = MentionSafety.neutralize(text)
        #expect(!MentionSafety.containsBroadcast(safe))
        #expect(safe.replacingOccurrences(of: "\u{2060}", with: "") == text, "only a joiner is inserted; case is kept")
    }

    @Test func leavesOrdinaryTextAlone() {
        let text = "deploy fraud@prod by <@U123> at 10:00"
        #expect(!MentionSafety.containsBroadcast(text))
        #expect(MentionSafety.neutralize(text) == text)
    }

    @Test func personalMentionsThatStartLikeABroadcastStayIntact() {
        for text in ["ping @allison", "@channels-team", "@heresy", "@roomba"] {
            #expect(MentionSafety.neutralize(text) == text)
        }
    }

    @Test func mentionSafeCleansEveryTextField() {
        let reply = Reply(
            title: "@here", text: "<!channel>", fields: [Fact("@all", "@everyone")], table: [["@room"]], footer: "@channel")
        let safe = reply.mentionSafe
        let texts = [safe.title!, safe.text, safe.fields[0].name, safe.fields[0].value, safe.table[0][0], safe.footer!]
        #expect(texts.allSatisfy { !MentionSafety.containsBroadcast($0) })
    }
}

@Suite("ConstantTime")
struct ConstantTimeTests {
    @Test func comparesBytes() {
        #expect(ConstantTime.equals("secret", "secret"))
        #expect(ConstantTime.equals("", ""))
        #expect(!ConstantTime.equals("secret", "secreT"))
        #expect(!ConstantTime.equals("secret", "secret1"))
        #expect(!ConstantTime.equals("secret", ""))
        #expect(!ConstantTime.equals("é", "e\u{301}"), "byte-for-byte, not canonical equivalence")
    }

    @Test func lengthsThatDifferByAMultipleOf256AreStillDifferent() {
        #expect(!ConstantTime.equals("", String(repeating: "\0", count: 256)))
    }
}

@Suite("Sparkline")
struct SparklineTests {
    @Test func scalesFromLowestToHighest() {
        #expect(Sparkline.render([0, 7]) == "▁█")
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([10, 20, 10]) == "▁█▁")
    }

    @Test func flatSeriesAndGaps() {
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render([3, 3, 3]) == "▅▅▅")
        #expect(Sparkline.render([0, .nan, 7, .infinity]) == "▁ █ ")
        #expect(Sparkline.render([.nan]) == "")
    }
}

@Suite("Tokenizer")
struct TokenizerTests {
    @Test func splitsOnWhitespace() throws {
        #expect(try Tokenizer.split("  deploy\tfraud \n v12 ") == ["deploy", "fraud", "v12"])
        #expect(try Tokenizer.split("").isEmpty)
    }

    @Test func quotesGroupWordsAndJoinWithNeighbours() throws {
        #expect(try Tokenizer.split(#"say "hello world" 'two words'"#) == ["say", "hello world", "two words"])
        #expect(try Tokenizer.split(#"pre"fix ed""#) == ["prefix ed"], "double quotes open anywhere")
        #expect(try Tokenizer.split(#"env="eu prod""#) == ["env=eu prod"])
        #expect(try Tokenizer.split(#"a "" b"#) == ["a", "", "b"])
        #expect(try Tokenizer.split(#""it's" 'say "hi"'"#) == ["it's", #"say "hi""#])
    }

    @Test func curlyQuotesAreNormalised() throws {
        #expect(try Tokenizer.split("\u{201C}a b\u{201D} \u{2018}c d\u{2019}") == ["a b", "c d"])
    }

    @Test func backslashEscapes() throws {
        #expect(try Tokenizer.split(#"a\ b"#) == ["a b"])
        #expect(try Tokenizer.split(#""a\"b""#) == [#"a"b"#])
        #expect(try Tokenizer.split(#"\'x"#) == ["'x"])
    }

    @Test func unterminatedQuotesThrow() {
        #expect(throws: Tokenizer.UnterminatedQuote.self) { try Tokenizer.split(#"deploy "fraud"#) }
        #expect(throws: Tokenizer.UnterminatedQuote.self) { try Tokenizer.split("say \u{2018}open") }
    }

    @Test func apostrophesInsideWordsAreText() throws {
        #expect(try Tokenizer.split("it\u{2019}s don't") == ["it's", "don't"])
    }
}

@Suite("Hex")
struct HexTests {
    @Test func everyByteIsTwoLowerCaseDigitsAsStringFormatWouldWriteThem() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode([]) == "")
    }
}
