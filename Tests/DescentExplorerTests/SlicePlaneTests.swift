import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// The landscape of a network on a random plane through the start (`D`): a plane's points are where they are
/// shown, its directions orthonormal and the same from the same seed, x/y go back to the parameters, a click
/// puts every start on the plane, and the frame shows the plane.
@Suite struct SlicePlaneTests {
    static let scenario = TheoryExplorerTests.root + "/Scenarios/23-network-momentum.yaml"

    /// Over random origins and seeds: u and v have length 1 and are orthogonal (to 1e-12), the point at (a, b)
    /// is shown at (a, b), and the same seed draws the same plane.
    @Test func aPlanesPointsAreShownWhereTheyAre() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<50 {
            let n = 3 + rng.nextIndex(below: 80)
            let origin = (0..<n).map { _ in rng.nextUnit() * 10 - 5 }
            let seed = rng.next()
            let d = SlicePlane.Directions(seed: seed, origin: origin)
            func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
            #expect(abs(dot(d.u, d.u) - 1) < 1e-12 && abs(dot(d.v, d.v) - 1) < 1e-12 && abs(dot(d.u, d.v)) < 1e-12)
            #expect(SlicePlane.Directions(seed: seed, origin: origin) == d)
            var plane = SlicePlane(x: 0, y: 1)
            plane.directions = d
            let a = rng.nextUnit() * 4 - 2, b = rng.nextUnit() * 4 - 2
            let shown = plane.coordinates(plane.point(a, b, slice: origin))
            #expect(abs(shown.x - a) < 1e-12 && abs(shown.y - b) < 1e-12)
            #expect(plane.coordinates(origin) == (0, 0))
        }
    }

    @Test func keysChooseThePlane() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: Self.scenario), width: 80, height: 24, options: RenderOptions(color: false))
        state.advanceSteps(300)
        try TheoryExplorerTests().press(&state, "D")
        #expect(state.plane.directions?.seed == 1 && state.plane.directions?.origin == state.experiment.runs[0].start)
        #expect(state.render().text.contains("(u1 × v1 slice)"))
        try TheoryExplorerTests().press(&state, "D")
        #expect(state.plane.directions?.seed == 2)
        // The paths' shadows are in view: every recorded point of the selected run falls inside it.
        let history = state.lanes[0].history
        #expect(history.count > 300)
        for row in 0..<history.count {
            let c = state.plane.coordinates(history, row: row)
            #expect(state.viewport.contains([c.x, c.y]))
        }
        try TheoryExplorerTests().press(&state, "x")
        #expect(state.plane.directions == nil && state.plane.x == 0 && state.plane.y == 1)
        #expect(state.render().text.contains("(w1[0][0] × w1[0][1] slice)") || state.render().text.contains("(w1[0][0] × w1[0][1…"))
        // Two parameters only: there is no other plane.
        var flat = ExplorerState(experiment: try Experiment.load(contentsOf: TheoryExplorerTests.root + "/Scenarios/02-rosenbrock-valley.yaml"),
                                 width: 80, height: 24, options: RenderOptions(color: false))
        try TheoryExplorerTests().press(&flat, "D")
        #expect(flat.plane.directions == nil && flat.status?.contains("only 2 parameters") == true)
    }

    /// A network whose spectrum would take many frames (10⁵ samples): the theory panel says to use `descent analyze`
    /// rather than hold the keys, and the range test says to use `descent lrfind`; a small one is worked out, its
    /// Hessian whole, and past `Spectrum.denseWork` by Lanczos.
    @Test func aHeavyNetworksTheoryIsLeftToTheCommands() throws {
        let heavy = try Experiment(scenario: Scenario(name: "heavy", objective: ObjectiveSpec(kind: NetworkKind.name, ["moons": .count(100_000), "hidden": .numbers([64])]),
                                                      start: [], steps: 100, runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.1))]))
        #expect((Spectrum.work(of: heavy.objective) ?? 0) > ExplorerState.theoryWork)
        var state = ExplorerState(experiment: heavy, width: 80, height: 24, options: RenderOptions(color: false))
        try TheoryExplorerTests().press(&state, "t")
        #expect(state.theory == nil && state.render().text.contains("too heavy here: descent analyze"))
        try TheoryExplorerTests().press(&state, "z")
        #expect(state.rangeTest == nil && state.status?.contains("descent lrfind") == true)
        var small = ExplorerState(experiment: try Experiment.load(contentsOf: Self.scenario), width: 80, height: 24, options: RenderOptions(color: false))
        try TheoryExplorerTests().press(&small, "t")
        #expect(small.theory?.spectrum.lanczosSteps == nil && small.theory?.spectrum.eigenvalues.count == small.experiment.objective.dimension)
        let costly = try Experiment(scenario: Scenario(name: "costly", objective: ObjectiveSpec(kind: NetworkKind.name, ["moons": .count(3000), "hidden": .numbers([16])]),
                                                       start: [], steps: 100, runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.1))]))
        #expect(costly.objective.hessianCost > Spectrum.denseWork && costly.objective.dimension <= Spectrum.maximumDimension)
        #expect(Spectrum(of: costly.objective, at: costly.scenario.start)?.lanczosSteps == Spectrum.lanczosSteps)
    }

    /// A click on a random plane moves every start to that point of the plane, and the runs start over there.
    @Test func aClickPutsTheStartsOnThePlane() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: Self.scenario), width: 80, height: 24, options: RenderOptions(color: false))
        try TheoryExplorerTests().press(&state, "D")
        let plot = state.layout.plot
        state.update(.click(x: plot.x + plot.width / 3, y: plot.y + plot.height / 3))
        let plane = try #require(state.plane.directions)
        for run in state.experiment.runs {
            #expect(run.stepCount == 0 && run.start != plane.origin)
            let shown = state.plane.coordinates(run.start)
            #expect(state.plane.point(shown.x, shown.y, slice: run.start).enumerated().allSatisfy { abs($1 - run.start[$0]) < 1e-12 })
            #expect(state.viewport.contains([shown.x, shown.y]))
        }
    }
}
