import Console
import ArgumentParser
import Pipelines
import Potts
import Contacts
import Figures
import Tensors

extension Seqgen {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare two fitted models: coupling and contact-map correlations, top-L overlap, attention heads vs contacts, and a figure.",
            discussion: "Works for any two models with couplings over the same columns (potts, gaussian, attention; ardca through its epistatic couplings; vae through its saliency couplings), and for a model beside a contact matrix or pair table (contact maps only): CCMpred's .mat, EVcouplings' CouplingScores.csv (its cn column) or plmc's EC file (-c, .txt), the tables numbered by the focus residues. Contact maps are APC-corrected Frobenius norms; correlations and overlaps use pairs with |i − j| ≥ --min-separation."
        )

        @Argument(help: "First model (.npz), or a CCMpred .mat, EVcouplings CouplingScores .csv or plmc EC .txt file.")
        var first: String

        @Argument(help: "Second model (.npz), or a CCMpred .mat, EVcouplings CouplingScores .csv or plmc EC .txt file.")
        var second: String

        @Option(parsing: .unconditional, help: "Minimum |i − j| for contact-map statistics.")
        var minSeparation = 6

        @Option(parsing: .unconditional, help: "Heads listed (and drawn) for attention models.")
        var topHeads = 5

        @Option(help: "Figure: both contact maps, their difference and the best heads' attention maps.")
        var plot: String?

        @Flag(help: "Print JSON.")
        var json = false

        @Flag(help: "Overwrite an existing figure.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, plot)
            let need = "compare needs two Potts, Gaussian, attention, ArDCA or VAE models, or a CCMpred .mat, EVcouplings CouplingScores .csv or plmc EC .txt file"
            let isMatrix = [first, second].map { p in [".mat", ".csv", ".txt"].contains { Self.hasSuffix(p, $0) } }
            if isMatrix[0] && isMatrix[1] { throw ValidationError("give at least one model (.npz): a contact matrix or pair table holds no model to read the other against") }
            let a = try isMatrix[0] ? nil : ModelArchive.read(first, need: need), b = try isMatrix[1] ? nil : ModelArchive.read(second, need: need)
            if let a, let b, a.kind == .lm || b.kind == .lm {
                let (lmPath, lm, otherPath, other) = a.kind == .lm ? (first, a, second, b) : (second, b, first, a)
                return try compareLanguageModel(lmPath: lmPath, lm: lm, otherPath: otherPath, other: other, outputs: outputs)
            }
            let c: ModelComparison
            let model = (a ?? b)!
            let kinds = [first, second].enumerated().map { k, p in
                [a, b][k]?.modelType ?? (Self.hasSuffix(p, ".mat") ? "CCMpred .mat" : "pair table")
            }
            let attA = try a?.extra("attention")?.tensor(), attB = try b?.extra("attention")?.tensor()
            let bar = DeferredProgressBar("saliency couplings", quiet: verbosity.quiet)     // a VAE's Jacobian sweeps
            if let a, let b {
                guard let ja = try a.symmetricCouplings(path: first, progress: bar.report),
                      let jb = try b.symmetricCouplings(path: second, progress: bar.report) else {
                    throw ValidationError("both models need couplings (\(first): \(a.modelType), \(second): \(b.modelType))")
                }
                guard ja.shape == jb.shape else { throw ValidationError("the models cover different columns: L = \(a.length) vs \(b.length)") }
                if a.focusSequence != b.focusSequence { warn("the two models have different focus sequences") }
                c = ModelComparison(couplingsA: ja, couplingsB: jb, attentionA: attA, attentionB: attB, minimumSeparation: minSeparation)
            } else {
                let (modelPath, matrixPath) = a != nil ? (first, second) : (second, first)
                guard let j = try model.symmetricCouplings(path: modelPath, progress: bar.report) else {
                    throw ValidationError("\(modelPath): a \(model.modelType) model has no couplings to compare with a contact matrix")
                }
                let matrix = try contactMatrix(matrixPath, model: model)
                guard matrix.length == model.length else {
                    throw ValidationError("\(matrixPath) is \(matrix.length) × \(matrix.length) but the model has L = \(model.length) columns")
                }
                let own = ContactMap.frobeniusNorms(couplings: j).apc()
                c = a != nil ? ModelComparison(contactsA: own, contactsB: matrix, attentionA: attA, minimumSeparation: minSeparation)
                             : ModelComparison(contactsA: matrix, contactsB: own, attentionB: attB, minimumSeparation: minSeparation)
            }
            bar.finish()
            let names = [first, second]
            if json {
                JSONText.emit([
                    ("first", .string(first)), ("second", .string(second)), ("length", .int(c.length)),
                    ("coupling_pearson", c.couplingPearson.map { .double($0) } ?? .null),
                    ("coupling_spearman", c.couplingSpearman.map { .double($0) } ?? .null),
                    ("contact_pearson", c.contactPearson.map { .double($0) } ?? .null),
                    ("contact_spearman", c.contactSpearman.map { .double($0) } ?? .null),
                    ("top_L_overlap", .int(c.topOverlap)), ("top_L", .int(c.topCount)),
                    ("heads", .array(c.heads.prefix(topHeads).map { .object([("model", .string(names[$0.model])), ("head", .int($0.head)),
                                                                             ("spearman", .double($0.spearman)), ("top_L_overlap", .int($0.topOverlap))]) })),
                ])
            } else {
                print("\(first) (\(kinds[0])) vs \(second) (\(kinds[1])), L = \(c.length)")
                print("couplings (centred \(model.alphabet.size - 1)×\(model.alphabet.size - 1) blocks): Pearson \(c.couplingPearson.map { fixed($0, 3) } ?? "n/a"), Spearman \(c.couplingSpearman.map { fixed($0, 3) } ?? "n/a")")
                print("contact maps (|i−j| ≥ \(minSeparation)):      Pearson \(c.contactPearson.map { fixed($0, 3) } ?? "n/a"), Spearman \(c.contactSpearman.map { fixed($0, 3) } ?? "n/a"); top-L overlap \(c.topOverlap)/\(c.topCount)")
                if !c.heads.isEmpty {
                    print("attention heads that align with the other model's contacts (Spearman, top-L overlap):")
                    for h in c.heads.prefix(topHeads) {
                        print("  \(names[h.model]) head \(h.head): ρ = \(fixed(h.spearman, 3)), overlap \(h.topOverlap)/\(c.topCount)")
                    }
                }
            }
            if let plot {
                let l = c.length
                let diff = zip(c.contactsA.scores, c.contactsB.scores).map { $0 - $1 }
                let numbers = model.residueNumbers
                var panels = [MatrixPanel(values: c.contactsA.scores, length: l, title: "A: \(kinds[0]) contacts", residueNumbers: numbers),
                              MatrixPanel(values: c.contactsB.scores, length: l, title: "B: \(kinds[1]) contacts", residueNumbers: numbers),
                              MatrixPanel(values: diff, length: l, title: "A − B", diverging: true, residueNumbers: numbers)]
                for h in c.heads.prefix(Swift.min(topHeads, 3)) {
                    guard let att = h.model == 0 ? attA : attB else { continue }
                    let m = (0..<(l * l)).map { k in (att.scalars[h.head * l * l + k] + att.scalars[h.head * l * l + (k % l) * l + k / l]) / 2 }
                    panels.append(MatrixPanel(values: m, length: l, title: "\(h.model == 0 ? "A" : "B") head \(h.head): ρ = \(fixed(h.spearman, 2))", residueNumbers: numbers))
                }
                let title = "\(model.focusName): " + (c.couplingSpearman.map { "coupling ρ = \(fixed($0, 2)), " } ?? "") + "contact ρ = \(c.contactSpearman.map { fixed($0, 2) } ?? "n/a"), top-L overlap \(c.topOverlap)/\(c.topCount)"
                try outputs.write { try figure.write(MatrixPanel.grid(panels, columns: 3, size: figure.panelSize(columns: 3), title: title), to: plot, overwrite: force) }
                wrote(plot)
            }
        }

        /// A CCMpred .mat as it is, or a pair table (EVcouplings, plmc) placed on `model`'s columns by its focus residue numbers.
        func contactMatrix(_ path: String, model: ModelArchive) throws -> ContactMap {
            if Self.hasSuffix(path, ".mat") { return try ContactMap.readMat(path) }
            let table = try PairScoreTable.read(path)
            let (map, missing, outside) = try table.contactMap(residueNumbers: model.residueNumbers, focus: Array(model.focusSequence))
            if outside > 0 { warn("\(outside) of \(table.entries.count) pairs of \(path) name residues the model does not cover: left out") }
            if missing > 0 { warn("\(missing) pairs of the model's focus residues are not in \(path): they rank last (the table's lowest score)") }
            return map
        }

        /// Whether `path` ends in `suffix`, gzipped or not, in any case.
        static func hasSuffix(_ path: String, _ suffix: String) -> Bool {
            let lower = path.lowercased()
            return lower.hasSuffix(suffix) || lower.hasSuffix(suffix + ".gz")
        }
    }
}
