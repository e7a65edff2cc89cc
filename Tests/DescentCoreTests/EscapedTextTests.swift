import DescentCore
import Testing

/// User text quoted for people: control characters escaped so a line stays a line; ASCII folding that keeps
/// two different labels different.
@Suite struct EscapedTextTests {
    @Test func controlCharactersAreEscaped() {
        #expect("plain label θ".escapingControlCharacters == "plain label θ")
        #expect("a\nb\r\tc\u{1B}[2J".escapingControlCharacters == "a\\nb\\r\\tc\\e[2J")
        #expect("\u{0}\u{7F}\u{85}\u{9B}\u{2028}".escapingControlCharacters == "\\u{0}\\u{7F}\\u{85}\\u{9B}\\u{2028}")
        // Bidirectional overrides reorder the rest of the line on screen.
        #expect("abc\u{202E}def\u{2066}".escapingControlCharacters == "abc\\u{202E}def\\u{2066}")
    }

    @Test func asciiFoldingNamesSymbolsAndEscapesTheRest() {
        #expect("final θ · ‖∇f‖ ≤ λ²".asciiFolded == "final theta * |grad f| <= lambda^2")
        #expect("été".asciiFolded == "\\u{E9}t\\u{E9}" && "ètè".asciiFolded != "été".asciiFolded)
        #expect("ascii".asciiFolded == "ascii")
    }
}
