import Foundation

import DescentCore

/// Writes one line to standard error; control and invisible characters in it are escaped, so it stays one
/// line and says what the text holds, and a huge value quoted in it is cut to its ends.
func printError(_ line: String) {
    Console.current.err(Data((TerminalTraits.readable(line.escapingControlCharacters.cuttingLongWords()) + "\n").utf8))
}
