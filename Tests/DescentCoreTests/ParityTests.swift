import Foundation
import Testing
@testable import DescentCore

/// Every trajectory from real torch.optim.SGD (float64) is reproduced to rtol 1e-9, atol 1e-12.
@Suite struct ParityTests {
    /// Paths of every reference case: plain SGD, and SGD with lr schedulers.
    static let cases: [String] = [Fixtures.golden, Fixtures.goldenSchedules, Fixtures.goldenExpressions, Fixtures.goldenEdges, Fixtures.goldenMLP].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { folder + "/" + $0 }
    }

    @Test func thereAreCases() {
        #expect(Self.cases.filter { $0.contains("/golden/") }.count >= 11)
        #expect(Self.cases.filter { $0.contains("/golden-schedules/") }.count >= 4)
        #expect(Self.cases.filter { $0.contains("/golden-expressions/") }.count >= 5)
        #expect(Self.cases.filter { $0.contains("/golden-edges/") }.count >= 4)
        #expect(Self.cases.filter { $0.contains("/golden-mlp/") }.count >= 3)
    }

    @Test(arguments: cases)
    func matchesTorch(path: String) throws {
        let name = (path as NSString).lastPathComponent
        let experiment = try Experiment.load(contentsOf: path)
        let got = TrajectoryReport.csv(experiment.trajectories())
        let want = try String(contentsOfFile: path.replacingOccurrences(of: ".yaml", with: ".csv"), encoding: .utf8)
        let gotRows = got.split(separator: "\n"), wantRows = want.split(separator: "\n")
        try #require(gotRows.count == wantRows.count)
        #expect(gotRows.first == wantRows.first)
        for (g, w) in zip(gotRows.dropFirst(), wantRows.dropFirst()) {
            let gc = parseRow(g), wc = parseRow(w)
            try #require(gc.prefix(2) == wc.prefix(2), "row \(wc.prefix(2)) came as \(gc.prefix(2))")
            for (gv, wv) in zip(gc.dropFirst(2), wc.dropFirst(2)) {
                let a = Double(gv)!, b = Double(wv)!
                try #require(abs(a - b) <= 1e-12 + 1e-9 * abs(b), "\(name) \(wc.prefix(2)): got \(gv), want \(wv)")
            }
        }
    }

    /// Autograd multiplies every adjoint, zero ones too: where it gives NaN (0 · inf), so does Descent, and
    /// elsewhere the same gradient to rtol 1e-12.
    @Test func gradientsMatchAutogradWhereAdjointsAreZero() throws {
        let text = try String(contentsOfFile: Fixtures.goldenEdges + "/gradients.csv", encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst()
        #expect(rows.count >= 10)
        for row in rows {
            let fields = row.split(separator: ";").map(String.init)
            let point = fields[1].split(separator: ",").map { Double($0)! }
            let want = fields[3].split(separator: ",").map { Double($0)! }
            let spec = ExpressionKind.spec(formula: fields[0])
            let f = try spec.makeObjective(dimension: 2, baseDirectory: "")
            var got = [0.0, 0.0]
            let loss = f.lossAndGradient(at: point, into: &got)
            let wantLoss = Double(fields[2])!
            #expect(loss.bitPattern == wantLoss.bitPattern || (loss.isNaN && wantLoss.isNaN) || abs(loss - wantLoss) <= 1e-12 * abs(wantLoss), "\(fields[0])")
            for (g, w) in zip(got, want) {
                #expect(w.isNaN ? g.isNaN : (g == w || abs(g - w) <= 1e-12 * abs(w)), "\(fields[0]) at \(point): got \(got), torch \(want)")
            }
        }
    }

    /// Splits a CSV row whose first field may be RFC 4180 quoted.
    func parseRow(_ row: Substring) -> [String] {
        if row.hasPrefix("\"") {
            let end = row.dropFirst().firstIndex(of: "\"")!
            let label = String(row[row.index(after: row.startIndex)..<end])
            return [label] + row[row.index(after: end)...].split(separator: ",").map(String.init)
        }
        return row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
