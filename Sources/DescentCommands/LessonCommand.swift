import ArgumentParser
import DescentCore
import DescentExplorer
import Foundation

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Write a lesson's handout: each beat's caption filled in, its picture and its question.",
        discussion: """
            --out DIR writes DIR/index.md (every beat: its caption, its picture, its question; the answers \
            at the end) and DIR/beat-NN.svg (the landscape and the paths up to the beat's step, with the \
            caption), which a browser or rsvg-convert renders. --text prints each beat as the explorer's \
            screen, for a terminal or a slide. Existing files of those names in DIR are replaced.
            Example: descent lesson Scenarios/lessons/1-why-momentum-works.yaml --out handout
            """)

    @Argument(help: "A scenario file with a lesson.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String
    @Option(help: "The folder to write the handout into (made if missing).") var out: String?
    @Flag(help: "Print each beat as a text screen.") var text = false
    @Option(help: "The text screens' size, WIDTHxHEIGHT.") var size = "100x30"
    @Flag(help: "ASCII screens (the default when the locale is not UTF-8).") var ascii = false

    func run() throws {
        guard out != nil || text else { throw InputError(message: "give --out DIR, --text, or both (see `descent lesson --help`)") }
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= ExplorerState.minimumSize.width, parts[1] >= ExplorerState.minimumSize.height,
              parts.allSatisfy({ $0 <= 1000 }) else {
            throw InputError(field: "--size", message: "must be WIDTHxHEIGHT from 80x24 to 1000x1000, like 100x30, got '\(size)'")
        }
        let experiment = try Experiment.load(contentsOf: file)
        guard let lesson = experiment.scenario.lesson else {
            throw InputError(file: file, field: "lesson", message: "this scenario has no lesson (see README: Teaching with Descent)")
        }
        // Every caption must be fillable where its beat stands, as `descent check` demands.
        let outcomes = experiment.playLesson()
        for outcome in outcomes {
            if case .failure(let problem) = outcome.caption {
                let field = "lesson[\(outcome.index)].say"
                throw InputError(file: file, field: field, line: Scenario.line(of: field, inFile: file), message: problem.message)
            }
        }
        if text {
            var state = ExplorerState(experiment: experiment, width: parts[0], height: parts[1],
                                      options: RenderOptions(color: false, unicode: !ascii && TerminalTraits.unicode))
            for index in lesson.beats.indices {
                state.goToBeat(index)
                let head = "beat \(index + 1)/\(lesson.beats.count), step \(lesson.beats[index].at)"
                Console.current.print((index == 0 ? "" : "\n") + TerminalTraits.readable("── \(head) " + String(repeating: "─", count: max(0, parts[0] - head.count - 4))))
                Console.current.print(state.render().text, terminator: "")
            }
        }
        if let out { try writeHandout(experiment, lesson: lesson, outcomes: outcomes, into: out) }
    }

    private func writeHandout(_ experiment: Experiment, lesson: Lesson, outcomes: [BeatOutcome], into folder: String) throws {
        guard !folder.isEmpty else { throw InputError(field: "--out", message: "needs a folder name, like handout") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw InputError(field: "--out", message: "\(folder) exists and is not a folder") }
        } else {
            // Made a part at a time, so a failure says which part and why (not Foundation's error number).
            var made = folder.hasPrefix("/") ? "" : "."
            for part in folder.split(separator: "/") {
                made += "/" + part
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: made, isDirectory: &isDirectory) {
                    guard isDirectory.boolValue else { throw InputError(field: "--out", message: "cannot make \(folder): \(made) is not a folder") }
                    continue
                }
                guard mkdir(made, 0o755) == 0 || errno == EEXIST else {
                    throw InputError(field: "--out", message: "cannot make \(folder): \(String(cString: strerror(errno)))")
                }
            }
        }
        // The pictures are the explorer's at a size whose plot has the picture's proportions, as `descent plot` draws.
        var state = ExplorerState(experiment: experiment, width: 160, height: 48, options: RenderOptions(color: true, unicode: true))
        var markdown = "# \(experiment.scenario.name)\n\n"
        if let description = experiment.scenario.description { markdown += description.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
        var answers: [String] = []
        for (index, beat) in lesson.beats.enumerated() {
            state.goToBeat(index)
            let caption = (try? outcomes[index].caption.get()) ?? beat.say
            var question: String?
            if let ask = beat.ask {
                var q = ask.text
                if case .choice(let choices, _) = ask.answer { q += " " + choices.enumerated().map { "(\($0.offset + 1)) \($0.element)" }.joined(separator: " ") }
                question = q
                answers.append("- Beat \(index + 1): \(ask.text) **\(ask.answerText)**")
            }
            let name = String(format: "beat-%02d.svg", index + 1)
            let svg = state.svgPicture(width: 1000, height: 500, caption: caption + (question.map { "\nQ: " + $0 } ?? ""))
            if case .failure(let failure) = OutputFile.write(svg, to: FilePaths.join(folder, name)) {
                throw InputError(field: "--out", message: failure.message)
            }
            // Control characters in a caption would garble the page: they are written escaped.
            markdown += "## Beat \(index + 1) (step \(beat.at))\n\n\(caption.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingControlCharacters }.joined(separator: "\n"))\n\n![Beat \(index + 1): the landscape and the paths at step \(beat.at)](\(name))\n\n"
            if let question { markdown += "**Question.** \(question)\n\n" }
        }
        if !answers.isEmpty { markdown += "## Answers\n\n" + answers.joined(separator: "\n") + "\n" }
        if case .failure(let failure) = OutputFile.write(markdown, to: FilePaths.join(folder, "index.md")) {
            throw InputError(field: "--out", message: failure.message)
        }
        Console.current.err(Data(TerminalTraits.readable("wrote \(lesson.beats.count) beats to \(FilePaths.join(folder, "index.md"))\n").utf8))
    }
}
