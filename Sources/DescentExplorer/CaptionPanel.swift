import DescentCore

extension ExplorerState {
    /// A lesson's caption in the description's place: the current beat's text filled in, wrapped to the
    /// panel; what does not fit ends in `… (i: read all)`, and `i` shows it whole.
    func drawCaption(_ grid: inout Grid, _ r: Rect) {
        guard caption != nil else { return }
        let all = captionLines(width: r.width - 2)
        // The question keeps its lines (the last ones); the text before it is cut to what is left.
        let questionStart = all.firstIndex { $0.hasPrefix("Q: ") } ?? all.count
        var question = Array(all[questionStart...])
        if question.count > max(1, r.height - 1) { question = Array(question.prefix(max(1, r.height - 1))) }
        let room = max(0, r.height - question.count)
        var text = Array(all[..<questionStart])
        if text.count > room {
            text = Array(text.prefix(room))
            if var last = text.popLast() {
                let more = "\(ellipsis) (i: read all)"
                if last.count + more.count > r.width - 2 { last = String(last.prefix(max(0, r.width - 2 - more.count))) }
                text.append(last + more)
            }
        }
        for (i, line) in (text + question).enumerated() {
            let isQuestion = i >= text.count
            grid.put(line, x: r.x + 1, y: r.y + i, foreground: isQuestion ? .accent : .default, bold: isQuestion)
        }
    }

    /// The caption wrapped to `width`, its question on lines of its own.
    func captionLines(width: Int) -> [String] {
        guard let caption else { return [] }
        return caption.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(plain(String($0)), width: width) }
    }
}
