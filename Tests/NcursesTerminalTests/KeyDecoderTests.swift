import DescentExplorer
import Testing
@testable import NcursesTerminal

/// The sink's key decoding, without a terminal: ncurses' own codes in, explorer keys out.
@Suite struct KeyDecoderTests {
    let decoder = KeyDecoder.ncurses

    @Test func functionKeysBecomeArrowsAndEditingKeys() {
        let cases: [(UInt32, Key)] = [(decoder.up, .up), (decoder.down, .down), (decoder.left, .left), (decoder.right, .right),
                                      (decoder.backTab, .backTab), (decoder.enter, .enter), (decoder.backspace, .backspace)]
        for (code, key) in cases {
            guard case .key(let decoded)? = decoder.message(isFunctionKey: true, code: code) else {
                Issue.record("function key \(code) decoded to nothing"); continue
            }
            #expect(decoded == key)
        }
        // ncurses numbers its function keys from 0o401; KEY_UP is 0o403 on every curses.
        #expect(decoder.up == 0o403)
        #expect(decoder.message(isFunctionKey: true, code: 0o777) == nil)
    }

    @Test func controlCharactersAreKeysOrNothing() {
        func key(_ code: UInt32) -> Key? {
            if case .key(let k)? = decoder.message(isFunctionKey: false, code: code) { return k }
            return nil
        }
        #expect(key(9) == .tab)
        #expect(key(10) == .enter && key(13) == .enter)
        #expect(key(27) == .escape)
        #expect(key(8) == .backspace && key(127) == .backspace)
        #expect(key(1) == nil && key(0) == nil && key(31) == nil)
    }

    @Test func printableAndWideCharactersPassThrough() {
        for (code, character) in [(UInt32(97), Character("a")), (32, " "), (0x3B8, "θ"), (0x1F600, "😀")] {
            guard case .key(.character(let c))? = decoder.message(isFunctionKey: false, code: code) else {
                Issue.record("\(code) did not decode to a character"); continue
            }
            #expect(c == character)
        }
        #expect(decoder.message(isFunctionKey: false, code: 0xD800) == nil)  // a lone surrogate is no character
    }
}
