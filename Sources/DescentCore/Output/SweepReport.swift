/// `descent sweep --format csv`: `cell,X,Y,METRIC` and a row per cell, numbers as `descent run` writes them
/// (shortest round-trip decimal; `nan`, `inf`; steps as whole numbers); a cell with no value has an empty
/// last field.
public enum SweepReport {
    public static func csv(_ sweep: Sweep, _ cells: [SweepCell]) -> [UInt8] {
        var out = ByteBuffer()
        out.bytes.reserveCapacity(64 + cells.count * 48)
        out.write("cell,\(sweep.x.field.rawValue),\(sweep.y.field.rawValue),\(sweep.metric.column)\n")
        // Each axis value is written once and copied into its rows.
        func texts(_ values: [Double]) -> [[UInt8]] {
            values.map { v in var b = ByteBuffer(); NumberFormat.write(v, to: &b); return b.bytes }
        }
        let xs = texts(sweep.x.values), ys = texts(sweep.y.values)
        let wholeSteps: Bool = switch sweep.metric { case .stepsTo, .diverged: true; default: false }
        for cell in cells {
            out.write(String(cell.index))
            out.bytes.append(UInt8(ascii: ","))
            out.bytes.append(contentsOf: xs[cell.index % sweep.x.count])
            out.bytes.append(UInt8(ascii: ","))
            out.bytes.append(contentsOf: ys[cell.index / sweep.x.count])
            out.bytes.append(UInt8(ascii: ","))
            if let value = cell.value {
                // Steps are whole numbers.
                if wholeSteps, let steps = Int(exactly: value) { out.write(String(steps)) } else { NumberFormat.write(value, to: &out) }
            }
            out.bytes.append(UInt8(ascii: "\n"))
        }
        return out.bytes
    }
}
