import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a headless command's output can use: colour, non-ASCII glyphs, the width.
struct TerminalTraits {
    /// 256 colours: stdout is a terminal and NO_COLOR is not set.
    let color: Bool
    /// UTF-8 glyphs: stdout is a terminal in a UTF-8 locale.
    let unicode: Bool
    /// Columns of the terminal (80 when not a terminal or unknown).
    let width: Int
    let height: Int

    static func ofStandardOutput() -> TerminalTraits {
        let tty = Console.current.standardOutputIsTerminal
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        setlocale(LC_CTYPE, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
        var size = winsize()
        let known = tty && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
        return TerminalTraits(color: tty && !noColor, unicode: tty && (codeset == "UTF-8" || codeset == "UTF8"),
                              width: known ? Int(size.ws_col) : 80, height: known ? Int(size.ws_row) : 24)
    }

    static var standardErrorIsTerminal: Bool { Console.current.standardErrorIsTerminal }

    /// Whether the locale's character set is UTF-8 (LANG, LC_ALL, LC_CTYPE), whatever stdout is.
    static let localeIsUTF8: Bool = {
        setlocale(LC_CTYPE, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
        return codeset == "UTF-8" || codeset == "UTF8"
    }()

    /// Text for people (tables, reports, messages, help) as the locale can show it: ASCII words and signs
    /// (`theta`, `|g|`) under `LANG=C`. CSV, JSON and SVG are data, and stay exact.
    static func readable(_ text: String) -> String { unicode ? text : text.asciiFolded }

    /// Whether text for people may use Unicode: as the console was asked to write it, else as the locale says.
    static var unicode: Bool { Console.current.unicode ?? localeIsUTF8 }
}
