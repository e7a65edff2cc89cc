/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public func contains(_ px: Int, _ py: Int) -> Bool {
        px >= x && py >= y && px < x + width && py < y + height
    }
}

/// Where each part of the screen goes for a given size; used by both render and mouse handling.
struct Layout: Equatable {
    let title: Rect
    let description: Rect
    /// The landscape: its plot and, on the row below, the axis ranges.
    let plot: Rect
    let plotAxis: Rect
    let lossChart: Rect
    let panel: Rect
    let status: Rect

    /// `caption`: a lesson's caption takes the description's place, with a line or two more.
    init(width: Int, height: Int, caption: Bool = false) {
        let panelWidth = width >= 110 ? 40 : 34
        let descriptionLines = caption ? (height >= 34 ? 5 : 4) : (height >= 34 ? 3 : 2)
        title = Rect(x: 0, y: 0, width: width, height: 1)
        description = Rect(x: 0, y: 1, width: width, height: descriptionLines)
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let top = 1 + descriptionLines
        let mainHeight = max(0, height - top - 1)
        let leftWidth = max(0, width - panelWidth - 1)
        let landscapeHeight = (mainHeight * 3) / 5
        plot = Rect(x: 0, y: top, width: leftWidth, height: max(0, landscapeHeight - 1))
        plotAxis = Rect(x: 0, y: top + max(0, landscapeHeight - 1), width: leftWidth, height: 1)
        lossChart = Rect(x: 0, y: top + landscapeHeight, width: leftWidth, height: mainHeight - landscapeHeight)
        panel = Rect(x: leftWidth + 1, y: top, width: panelWidth, height: mainHeight)
    }
}
