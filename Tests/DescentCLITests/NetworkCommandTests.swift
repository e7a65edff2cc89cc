import DescentCore
import Foundation
import Testing

/// A network from the command line and from files, as a user gives it.
@Suite struct NetworkCommandTests {
    /// `--objective mlp` with its flags and no `--start`: the runs start at the seeded initialisation.
    @Test func flagsBuildANetworkWithoutAStart() throws {
        let result = InProcess.run(["run", "--objective", "mlp", "--moons", "40", "--moons-noise", "0.2", "--hidden", "3",
                                    "--activation", "relu", "--init-seed", "4", "--lr", "0.1", "--steps", "2", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let first = ExportTests.rows(result.stdout)[1]
        let start = Network.defaultInitialization(sizes: [2, 3, 2], seed: 4)
        #expect(first.count == 3 + start.count && zip(first.dropFirst(3), start).allSatisfy { Double($0) == $1 })
        let bad = InProcess.run(["run", "--objective", "mlp", "--moons", "40", "--activation", "sigmoid", "--lr", "0.1"])
        #expect(bad.status == 2 && bad.stderr.contains("--activation: must be tanh or relu, got 'sigmoid'"), "\(bad.stderr)")
    }

    /// A start given empty is refused (left out, it is the network's own); a network too costly for its data is
    /// refused before anything is computed.
    @Test func emptyStartsAndHugeNetworksAreRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("e.yaml", "name: e\nobjective: {kind: mlp, moons: 20}\nstart: []\nruns: [{label: a, lr: 0.1}]\n")
        let empty = InProcess.run(["run", dir.path + "/e.yaml"])
        #expect(empty.status == 2 && empty.stderr.contains("e.yaml:3: start: needs at least one number"), "\(empty.stderr)")
        try dir.write("h.yaml", "name: h\nobjective: {kind: mlp, moons: 1000000, hidden: [600]}\nruns: [{label: a, lr: 0.1}]\n")
        let huge = InProcess.run(["run", dir.path + "/h.yaml"])
        #expect(huge.status == 2 && huge.stderr.contains("objective.moons: 1000000 samples × 3002 weights is 3002000000 multiply-adds a pass; at most 500000000"), "\(huge.stderr)")
    }
}
