import Console
import FileIO
import Archive
import Figures
import Pipelines

extension Seqgen.Compare {
    /// `seqgen compare LM POTTS`: every head of the language model ranked against the coupling
    /// model's contact map (`ModelArchive.compareHeads`), printed and drawn beside the couplings.
    func compareLanguageModel(lmPath: String, lm: ModelArchive, otherPath: String, other: ModelArchive, outputs: OutputSet) throws {
        let c = try lm.compareHeads(path: lmPath, with: other, otherPath: otherPath, minimumSeparation: minSeparation)
        if json {
            JSONText.emit([("lm", .string(lmPath)), ("couplings", .string(otherPath)), ("positions", .int(c.positions.count)), ("top_L", .int(c.topCount)),
                           ("head_average", .object([("spearman", .double(c.headAverage.spearman)), ("top_L_overlap", .int(c.headAverage.topOverlap))])),
                           ("heads", .array(c.heads.map { .object([("head", .string($0.label)), ("spearman", .double($0.spearman)), ("top_L_overlap", .int($0.topOverlap))]) }))])
        } else {
            print("\(lmPath) (lm, \(c.heads.count) heads) vs \(otherPath) (\(other.modelType)): \(c.positions.count) common positions, pairs |i−j| ≥ \(minSeparation)")
            print("heads ranked by Spearman with the coupling contact map (top-L overlap of \(c.topCount)):")
            for h in c.heads.prefix(topHeads) { print("  head \(h.label): ρ = \(fixed(h.spearman, 3)), overlap \(h.topOverlap)/\(c.topCount)") }
            print("  head average: ρ = \(fixed(c.headAverage.spearman, 3)), overlap \(c.headAverage.topOverlap)/\(c.topCount)")
        }
        if let plot {
            let m = c.positions.count
            let numbers = c.positions.map { lm.residueNumbers[$0.lm] }
            var panels = [MatrixPanel(values: c.couplingMap.scores, length: m, title: "\(other.modelType) couplings (APC)", residueNumbers: numbers)]
            for h in c.heads.prefix(Swift.min(topHeads, 5)) {
                panels.append(MatrixPanel(values: c.headMaps[h.index].scores, length: m, title: "head \(h.label): ρ = \(fixed(h.spearman, 2))", residueNumbers: numbers))
            }
            let title = "\(lm.focusName): attention heads beside \(other.modelType) couplings"
            try outputs.write { try figure.write(MatrixPanel.grid(panels, columns: 3, size: figure.panelSize(columns: 3), title: title), to: plot, overwrite: force) }
            wrote(plot)
        }
    }
}
