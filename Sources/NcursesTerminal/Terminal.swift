import CNcurses
import DescentExplorer
import Foundation

/// The ncurses sink: copies grids to the terminal and turns what the terminal sends into messages.
///
/// Nothing here knows about optimizers; the explorer's state never sees ncurses.
public final class Terminal {
    /// Whether the locale's character set is UTF-8 (braille and shading need it).
    public let unicode: Bool
    /// Whether colours are drawn (off when `NO_COLOR` is set or the terminal has none).
    public let color: Bool
    private var lastGrid: Grid?
    private var palette: Palette?

    /// The terminal could not be taken over: its type (TERM) has no terminfo entry here, or lacks what a
    /// full screen needs (`missing` says what: "cursor addressing (cup)").
    public struct Unavailable: Error {
        public let terminalType: String
        public var missing: String?
    }

    /// Takes over the terminal. Call `close()` (or let a signal handler do it) to give it back.
    public init(wantColor: Bool) throws(Unavailable) {
        setlocale(LC_ALL, "")
        unicode = descent_locale_is_utf8() != 0
        let type = ProcessInfo.processInfo.environment["TERM"] ?? ""
        switch descent_terminal_lacks() {
        case 1: throw Unavailable(terminalType: type, missing: "cursor addressing (cup)")
        case 2: throw Unavailable(terminalType: type, missing: "clearing the screen (clear)")
        default: break
        }
        guard descent_start_screen() == 0 else {
            throw Unavailable(terminalType: ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        cbreak()
        noecho()
        nonl()
        keypad(descent_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        _ = descent_enable_mouse()
        mouseinterval(0)
        if wantColor && has_colors() {
            start_color()
            use_default_colors()
            palette = Palette(colors: Int(descent_colors()), pairs: Int(descent_color_pairs()))
        }
        color = palette != nil
        SignalGuard.install()
    }

    /// Gives the terminal back as it was. Safe to call twice.
    public func close() {
        SignalGuard.restoreTerminal()
    }

    public var size: (width: Int, height: Int) {
        (Int(descent_cols()), Int(descent_lines()))
    }

    /// A signal asked us to stop (ctrl-c, SIGTERM, SIGHUP, SIGQUIT…), or the terminal is gone.
    public var stopRequested: Bool { SignalGuard.stopSignal != 0 || terminalLost }

    /// The signal that asked to stop, if one did: the process should end with status 128 + it.
    public var stopSignal: Int32? { SignalGuard.stopSignal == 0 ? nil : SignalGuard.stopSignal }

    /// The terminal went away (its pty closed) without a hang-up signal: reads fail at once, forever.
    public private(set) var terminalLost = false
    /// Reads in a row that failed at once although input was said to be ready: end of file.
    private var emptyReads = 0

    /// Waits up to `milliseconds` (−1: forever) for input and decodes it.
    public func read(timeout milliseconds: Int) -> Message? {
        wtimeout(descent_stdscr(), Int32(milliseconds))
        var character: wint_t = 0
        let result = descent_get_wch(&character)
        if result == ERR {
            checkTerminal()
            return nil
        }
        emptyReads = 0
        if result == descent_key_code_yes(), Int32(character) == descent_key_resize() {
            lastGrid = nil
            return .resize(width: size.width, height: size.height)
        }
        if result == descent_key_code_yes(), Int32(character) == descent_key_mouse() {
            var x: Int32 = 0, y: Int32 = 0
            return descent_mouse_click(&x, &y) == 0 ? .click(x: Int(x), y: Int(y)) : nil
        }
        return KeyDecoder.ncurses.message(isFunctionKey: result == descent_key_code_yes(), code: UInt32(character))
    }

    /// After a read that returned nothing: a timeout, or a terminal that is gone. A closed pty reports a
    /// hang-up, an error or end of file (ready, yet nothing to read) on every poll; waiting on it again would
    /// spin at full CPU forever.
    private func checkTerminal() {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready < 0 {
            if errno != EINTR { terminalLost = true }
            return
        }
        if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { terminalLost = true; return }
        if descriptor.revents & Int16(POLLIN) != 0 {
            emptyReads += 1
            if emptyReads >= 64 { terminalLost = true }
        } else {
            emptyReads = 0
        }
    }

    /// Copies the cells that changed since the last draw, then refreshes once.
    public func draw(_ grid: Grid) {
        let previous = lastGrid.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if previous == nil { erase() }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if let previous, previous[x, y] == cell { continue }
                // The terminal filled it with the wide glyph drawn to its left.
                if cell.continuation { continue }
                var attributes: attr_t = cell.bold ? descent_a_bold() : 0
                var pair: Int16 = 0
                if let palette {
                    pair = palette.pair(foreground: cell.foreground, background: cell.background)
                    if cell.foreground == .dim && palette.colors < 16 { attributes |= descent_a_dim() }
                } else if cell.background == .selection {
                    attributes |= descent_a_reverse()
                }
                descent_put(Int32(y), Int32(x), wchar_t(cell.glyph.value), attributes, pair)
            }
        }
        refresh()
        lastGrid = grid
    }
}

/// Colour pairs made on demand for (foreground, background) as the grid asks for them.
final class Palette {
    let colors: Int
    private let maxPairs: Int
    private var pairs: [PairKey: Int16] = [:]

    private struct PairKey: Hashable { let foreground: CellColor, background: CellColor }

    init(colors: Int, pairs: Int) {
        self.colors = colors
        self.maxPairs = min(pairs, Int(Int16.max))
    }

    func pair(foreground: CellColor, background: CellColor) -> Int16 {
        let key = PairKey(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        let next = pairs.count + 1
        guard next < maxPairs else { return 0 }
        init_pair(Int16(next), Int16(color(foreground, isBackground: false)), Int16(color(background, isBackground: true)))
        pairs[key] = Int16(next)
        return Int16(next)
    }

    /// A terminal colour number: the 256-colour palette where there is one, the 8 basic colours otherwise.
    private func color(_ c: CellColor, isBackground: Bool) -> Int {
        let rich = colors >= 256
        if rich { return c.xterm256 ?? -1 }
        // An 8-colour terminal: the nearest basic colours (six run hues; the glyphs tell the rest apart).
        switch c {
        case .default: return -1
        case .run(let i): return [3, 2, 5, 6, 1, 7, 3, 2][i % 8]
        case .level(let k): return [0, 0, 0, 4, 4, 4, 4, 6, 6, 6][max(0, min(9, k))]
        case .contour: return 6
        case .accent: return 3
        case .dim: return 7
        case .warning: return 1
        case .selection: return 4
        }
    }
}
