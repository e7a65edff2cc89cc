import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// A picture never holds NaN or infinity in a coordinate: centers near the largest double once wrote
/// `cx="-nan"`, which SVG readers reject.
@Suite struct SVGNumberTests {
    @Test(arguments: 0..<12)
    func picturesHoldOnlyFiniteNumbers(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) + 90)
        // Mostly near the largest double, where θ − c and the view overflow.
        func huge() -> Double {
            let exponent = rng.nextIndex(below: 3) == 0 ? rng.nextIndex(below: 300) : 300 + rng.nextIndex(below: 9)
            return (rng.nextIndex(below: 2) == 0 ? -1 : 1) * (1 + rng.nextUnit() * 0.79) * pow(10, Double(exponent))
        }
        let yaml = """
            name: far away
            objective: {kind: quadratic, eigenvalues: [\(1 + rng.nextUnit() * 5), \(pow(10, Double(rng.nextIndex(below: 200))))], center: \(seed == 0 ? "[1.0e308, -1.0e308]" : "[\(huge()), \(huge())]")}
            start: \(seed == 0 ? "[1, 1]" : "[\(huge()), \(huge())]")
            steps: 50
            runs:
              - {label: a, lr: \(rng.nextUnit())}
              - {label: b, lr: \(pow(10, -Double(rng.nextIndex(below: 10)))), momentum: 0.9}
            """
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: yaml))
        var state = ExplorerState(experiment: experiment, width: 120, height: 40, options: RenderOptions(color: true))
        state.advanceSteps(50)
        let svg = state.svgPicture()
        let attributes = try Regex(#"="[^"]*"#)
        for match in svg.matches(of: attributes) {
            let value = svg[match.range].lowercased()
            #expect(!value.contains("nan") && !value.contains("inf"), "\(value) in a picture of\n\(yaml)")
        }
        #expect(svg.hasSuffix("</svg>\n"))
    }
}
