import Foundation
import Testing
@testable import DescentCore

/// Every trajectory from real torch.optim.SGD (float64) is reproduced to rtol 1e-9, atol 1e-12.
@Suite struct ParityTests {
    /// Paths of every reference case: plain SGD, and SGD with lr schedulers.
    static let cases: [String] = [Fixtures.golden, Fixtures.goldenSchedules, Fixtures.goldenExpressions].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { folder + "/" + $0 }
    }

    @Test func thereAreCases() {
        #expect(Self.cases.filter { $0.contains("/golden/") }.count >= 11)
        #expect(Self.cases.filter { $0.contains("/golden-schedules/") }.count >= 4)
        #expect(Self.cases.filter { $0.contains("/golden-expressions/") }.count >= 5)
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
