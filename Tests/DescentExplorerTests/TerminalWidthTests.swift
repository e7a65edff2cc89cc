import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// Text is measured in terminal columns everywhere: wide glyphs take two cells, invisible ones none, and a
/// combining accent joins its letter, so tables stay aligned and no cell holds a glyph the terminal would
/// draw at zero or double width.
@Suite struct TerminalWidthTests {
    /// The lone scalars measured without composing (Latin, box drawing, blocks, braille) give exactly what the
    /// composed form gives: every one of them, alone and with a combining mark after it.
    @Test func theShortcutIsTheComposedForm() {
        // Around the blocks taken too, so a shortcut widened past what composition leaves alone fails here.
        let ranges: [ClosedRange<UInt32>] = [0...0x3FF, 0x2300...0x29FF]
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value), Character.composesToItself(scalar) else { continue }
                for text in [String(scalar), String(scalar) + "\u{301}"] where text.count == 1 {
                    let c = Character(text)
                    let fast = c.terminalGlyph, slow = c.composedGlyph
                    #expect(fast?.scalar == slow?.scalar && fast?.width == slow?.width, "U+\(String(value, radix: 16)) \(text.unicodeScalars.count) scalars")
                }
            }
        }
        #expect(Character.composesToItself("a") && Character.composesToItself("\u{28FF}") && Character.composesToItself("\u{2502}"))
    }

    @Test(arguments: [("abc", 3), ("中文", 4), ("😀", 2), ("a\u{200B}b", 2), ("\u{FEFF}x", 1), ("e\u{0301}", 1), ("x\u{0301}", 1),
                      ("\u{0301}", 0), ("ｆｕｌｌ", 8), ("한국어", 6)])
    func widths(text: String, columns: Int) {
        #expect(text.terminalColumns == columns)
        var grid = Grid(width: 20, height: 1)
        let end = grid.put(text, x: 0, y: 0)
        #expect(end == columns)
        // Every drawn cell is a glyph of width 1, or the left half of a wide one followed by its right half.
        var x = 0
        while x < columns {
            let cell = grid[x, 0]
            #expect(!cell.continuation && cell.glyph.terminalWidth >= 1)
            x += cell.glyph.terminalWidth == 2 ? 2 : 1
            if cell.glyph.terminalWidth == 2 { #expect(grid[x - 1, 0].continuation) }
        }
    }

    /// Overwriting half of a wide glyph blanks the other half.
    @Test func wideGlyphsAreNeverHalved() {
        var grid = Grid(width: 6, height: 1)
        grid.put("中中", x: 0, y: 0)
        grid.put("a", x: 1, y: 0)
        #expect(grid[0, 0].glyph == " " && grid[1, 0].glyph == "a" && !grid[1, 0].continuation)
        grid.put("b", x: 2, y: 0)
        #expect(grid[3, 0].glyph == " " && !grid[3, 0].continuation)
        // A wide glyph that does not fit at the edge leaves a space.
        #expect(grid.put("x中", x: 4, y: 0) == 6 && grid[5, 0].glyph == " ")
        #expect(grid.text == " ab x\n")
    }

    /// The runs table with CJK, emoji, combining and invisible labels: each row's loss starts at the same
    /// terminal column, at 80×24 and 200×60.
    @Test func runsTableStaysAligned() throws {
        let yaml = """
            name: wide labels
            objective: {kind: quadratic, eigenvalues: [1, 5]}
            start: [1, 1]
            runs:
              - {label: "中文標籤 😀 wide", lr: 0.1}
              - {label: "a\\u200Bb\\u00AD c\\u0301 d\\uFEFF", lr: 0.2}
              - {label: plain, lr: 0.05}
            """
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: yaml))
        for (width, height) in [(80, 24), (200, 60)] {
            let state = ExplorerState(experiment: experiment, width: width, height: height, options: RenderOptions(color: false))
            let grid = state.render()
            var columns: [Int] = []
            for y in 0..<grid.height {
                let row = (0..<grid.width).map { grid[$0, y] }
                guard let at = (0..<(row.count - 4)).first(where: { x in (0..<5).map { row[x + $0].glyph } == ["l", "o", "s", "s", " "] && x > grid.width / 2 }),
                      row[..<at].contains(where: { ["●", "■", "▲"].contains($0.glyph) }) else { continue }
                // Where the terminal shows it: the columns the cells before it take (a continuation none).
                columns.append(row[..<at].reduce(0) { $0 + ($1.continuation ? 0 : $1.glyph.terminalWidth) })
                #expect(!row.contains { $0.glyph.terminalWidth == 0 && !$0.continuation }, "a zero-width glyph in a cell")
            }
            #expect(columns.count == 3 && Set(columns).count == 1, "\(width)x\(height): \(columns)\n\(grid.text)")
        }
    }
}

/// Fields longer than their box scroll: the end, where typing happens, stays in view with its cursor.
@Suite struct ScrollingFieldTests {
    @Test func theFormulaEditorAndThePathFieldScroll() throws {
        let formula = String(repeating: "(x - 1)^2 + ", count: 12) + "y^2 + sn(y)"
        let path = String(repeating: "very/long/folder/", count: 9) + "file.yaml"
        for (width, height) in [(80, 24), (200, 60)] {
            var s = ExplorerState(experiment: try Experiment(scenario: .builtInDefault), width: width, height: height, options: RenderOptions(color: false))
            for message in try KeyScript.parse("F" + formula) { s.update(message) }
            var text = s.render().text
            #expect(text.contains("+ y^2 + sn(y)_"), "\(text)")
            // The mark under the unknown function is still under its 's'.
            let lines = text.split(separator: "\n").map(String.init)
            let row = try #require(lines.firstIndex { $0.contains("sn(y)_") })
            let at = Array(lines[row]).firstIndex(of: "s").map { lines[row].distance(from: lines[row].startIndex, to: lines[row].index(lines[row].startIndex, offsetBy: $0)) }
            let mark = Array(lines[row + 1]).firstIndex(of: "↑")
            #expect(at != nil && mark == at, "\(lines[row])\n\(lines[row + 1])")
            s.update(.key(.escape))
            for message in try KeyScript.parse("o" + path) { s.update(message) }
            text = s.render().text
            #expect(text.contains("folder/file.yaml_"), "\(text)")
        }
    }
}
