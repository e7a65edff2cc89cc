import DescentCore

extension ExplorerState {
    /// A lesson's caption in the description's place: the current beat's text filled in, wrapped to the
    /// panel; what does not fit ends in `… (i: read all)`, and `i` shows it whole.
    func drawCaption(_ grid: inout Grid, _ r: Rect) {
        guard let caption else { return }
        let all = captionLines(width: r.width - 2)
        var lines = Array(all.prefix(r.height))
        if all.count > r.height, var last = lines.popLast() {
            let more = "\(ellipsis) (i: read all)"
            if last.count + more.count > r.width - 2 { last = String(last.prefix(max(0, r.width - 2 - more.count))) }
            lines.append(last + more)
        }
        for (i, line) in lines.enumerated() {
            let question = line.hasPrefix("Q: ")
            grid.put(line, x: r.x + 1, y: r.y + i, foreground: question ? .accent : .default, bold: question)
        }
    }

    /// The caption wrapped to `width`, its question on lines of its own.
    func captionLines(width: Int) -> [String] {
        guard let caption else { return [] }
        return caption.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(plain(String($0)), width: width) }
    }
}
