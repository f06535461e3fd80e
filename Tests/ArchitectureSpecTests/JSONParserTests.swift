import ArchitectureSpec
import Testing

@Suite("Strict JSON parsing with locations")
struct JSONParserTests {
    @Test("Values and locations")
    func values() throws {
        let node = try JSONParser.parse("{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\u00e9\\n\"\n}")
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].keyLocation == SourceLocation(line: 2, column: 3))
        #expect(members[1].value.location == SourceLocation(line: 3, column: 8))
        guard case .string(let s) = members[1].value.value else { Issue.record("not a string"); return }
        #expect(s == "xé\n")
        guard case .array(let items) = members[0].value.value, case .number(let n) = items[1].value else {
            Issue.record("bad array"); return
        }
        #expect(n == "-2.5e3")
    }

    @Test("Rejections name the line and column", arguments: [
        ("{\"a\": 1,}", "1:9", "trailing comma"),
        ("{\"a\": 1, \"a\": 2}", "1:10", "duplicate key"),
        ("[01]", "1:3", "leading zeros"),
        ("{\"a\": 1} x", "1:10", "unexpected content"),
        ("// c\n{}", "1:1", "comments"),
        ("{\n\"a\": tru}", "2:6", "invalid literal"),
        ("\"abc", "1:5", "unterminated string"),
    ])
    func rejects(_ text: String, _ location: String, _ message: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            guard let e = error as? JSONParser.SyntaxError else { return false }
            return e.location.description == location && e.message.contains(message)
        }
    }

    @Test("Deep nesting is an error, not a stack overflow")
    func depth() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { _ = try JSONParser.parse(text) }
    }
}
