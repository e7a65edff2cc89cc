import CNcurses
import DescentExplorer

/// Turns what `wget_wch` returned into a key: a pure function of the code, testable without a terminal.
public struct KeyDecoder: Sendable {
    /// ncurses' function-key codes (KEY_UP, …), which the shim reads from its macros.
    public let up: UInt32, down: UInt32, left: UInt32, right: UInt32
    public let backTab: UInt32, enter: UInt32, backspace: UInt32

    public static let ncurses = KeyDecoder(
        up: UInt32(descent_key_up()), down: UInt32(descent_key_down()), left: UInt32(descent_key_left()),
        right: UInt32(descent_key_right()), backTab: UInt32(descent_key_btab()), enter: UInt32(descent_key_enter()),
        backspace: UInt32(descent_key_backspace()))

    /// The message for a code: a function key when `isFunctionKey` (ncurses' KEY_CODE_YES), else a character.
    ///
    /// Tab, Enter (LF or CR), Escape and both backspaces (BS, DEL) are keys of their own; other control
    /// characters and unknown function keys are nil, so they never reach the explorer as text.
    public func message(isFunctionKey: Bool, code: UInt32) -> Message? {
        if isFunctionKey {
            switch code {
            case up: return .key(.up)
            case down: return .key(.down)
            case left: return .key(.left)
            case right: return .key(.right)
            case backTab: return .key(.backTab)
            case enter: return .key(.enter)
            case backspace: return .key(.backspace)
            default: return nil
            }
        }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}
