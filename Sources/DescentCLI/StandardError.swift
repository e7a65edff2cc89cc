import Foundation

import DescentCore

/// Writes one line to standard error; control characters in it are escaped, so it stays one line.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((TerminalTraits.readable(line.escapingControlCharacters) + "\n").utf8))
}
