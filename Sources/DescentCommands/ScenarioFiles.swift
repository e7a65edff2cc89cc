import DescentCore
import DescentExplorer
import Foundation

enum ScenarioFiles {
    /// Files as given, and the `.yaml`/`.yml`/`.json` files of each folder in name order.
    static func expand(_ arguments: [String]) throws(InputError) -> [String] {
        var paths: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw InputError(file: argument, message: argument == "Scenarios"
                    ? "no such folder here; run from the project folder or name the files" : "no such file")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                paths += names.filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted()
                    .map { FilePaths.join(argument, $0) }
            } else {
                paths.append(argument)
            }
        }
        return paths
    }
}

enum Choices {
    /// The `o` picker's entries: the analytic objectives, then the scenario files beside the opened file,
    /// in the working folder and in ./Scenarios, listed by path and read only when the picker first opens
    /// (`Effect.describe`: each file's head, `ScenarioHeader`), so no file holds up the first frame.
    static func here(besides file: String? = nil) -> [Choice] {
        let objectives = ObjectiveRegistry.examples.map { Choice.objective($0.kind.name) }
        var folders = [".", "Scenarios"]
        if let file {
            let folder = FilePaths.folder(of: file)
            folders.insert(folder.isEmpty ? "." : folder, at: 0)
        }
        var seen = Set<String>()
        var scenarios: [Choice] = []
        for folder in folders where FileManager.default.fileExists(atPath: folder) {
            for path in (try? ScenarioFiles.expand([folder])) ?? [] {
                let shown = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
                guard seen.insert(FilePaths.standardized(shown)).inserted else { continue }
                scenarios.append(.file(path: shown))
            }
        }
        return objectives + scenarios
    }

    /// The answers to `Effect.describe`: each file's name and description from its head.
    static func described(_ paths: [String]) -> [Message] {
        paths.map { path in
            let header = ScenarioHeader.read(path)
            return .described(path: path, name: header?.name, description: header?.description)
        }
    }
}
