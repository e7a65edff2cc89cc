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
    /// in the working folder and in ./Scenarios, each with its name and description (files that are not
    /// scenarios are left out).
    /// Files larger than this are listed without being read.
    static let largeScenarioBytes = 256 * 1024

    static func here(besides file: String? = nil) -> [Choice] {
        let objectives = ObjectiveSpec.analyticDefaults.map { Choice.objective($0.spec.kind) }
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
                // A large file (a 1000 × 1000 matrix) is listed by its file name, unread: decoding it for
                // a description would hold up the explorer's first frame by seconds.
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                if size > largeScenarioBytes {
                    scenarios.append(.scenario(path: shown, name: FilePaths.name(of: shown),
                                               description: "A large scenario file (\(size / 1_000_000) MB), read when opened."))
                    continue
                }
                guard let scenario = try? Scenario.load(contentsOf: path) else { continue }
                scenarios.append(.scenario(path: shown, name: scenario.name, description: scenario.description))
            }
        }
        return objectives + scenarios
    }
}
