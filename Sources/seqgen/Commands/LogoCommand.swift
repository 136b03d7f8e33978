import Console
import ArgumentParser
import Pipelines
import Figures
import Motifs
import NumPyIO
import Potts
import Sequences
#if canImport(Glibc)
import Glibc
#endif

extension Seqgen {
    struct Logo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logo",
            abstract: "Draw a sequence logo (PNG or SVG) from an alignment, a model, a motif file or a matrix.",
            discussion: """
            INPUT is read by its extension: .npz a seqgen model (PSSM: its frequencies; other models: \
            softmax of the fields, gap excluded); .meme/.pfm/.jaspar/.transfac/.cb/.motif(s) a motif file (MEME, JASPAR, TRANSFAC, HOMER or Cluster-Buster) (--motif picks one; \
            default the first); .npy an (L, 4) DNA or (L, 20) protein matrix, drawn as probabilities, or \
            with --signed as signed heights (attribution maps); anything else an alignment (--alphabet dna \
            for nucleotides): residue frequencies weighted at 80% identity, gaps left out, with one \
            pseudo-sequence spread evenly over the K letters. Information logos are in bits: column \
            height log₂K − H, letter height p·(log₂K − H).
            """
        )

        @Argument(help: "Alignment, model (.npz), motif file (.meme/.pfm/.jaspar) or matrix (.npy).")
        var input: String

        @Option(name: .shortAndLong, help: "Output figure (.png or .svg).")
        var output: String

        @Option(help: "Motif ID or name to draw from a motif file (default: the first).")
        var motif: String?

        @Option(help: "Residues to draw, inclusive, in the focus sequence's numbering (a model's or alignment's residue numbers, 1-based for motifs and matrices), e.g. 20-80 (default: all).")
        var range: String?

        @Flag(help: "Matrix input: signed heights (positive up, negative down) instead of probabilities.")
        var signed = false

        @Option(help: "Title (default: from the input).")
        var title: String?

        @Option(parsing: .unconditional, help: "Positions per wrapped row.")
        var perRow = 60

        @Flag(help: "Overwrite an existing output file.")
        var force = false

        @OptionGroup(title: "Alignment input") var alignment: AlignmentOptions

        @OptionGroup var verbosity: OutputOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, output)
            var (values, letters, numbers, name) = try load()
            if let range {
                let bounds = range.wholeMatch(of: /(-?\d+)-(-?\d+)/).flatMap { m in Int(m.1).flatMap { a in Int(m.2).map { (a, $0) } } }
                let residues = numbers.filter { $0 > 0 }
                let span = residues.isEmpty ? "" : " (\(residues.min()!)-\(residues.max()!))"
                guard let (first, last) = bounds, first <= last else {
                    throw ValidationError("--range '\(range)': expected FIRST-LAST in the focus sequence's residue numbering\(span)")
                }
                let chosen = SequenceLogo.columns(numbered: numbers, from: first, through: last)
                guard !chosen.isEmpty else {
                    throw ValidationError("--range \(range) holds no position of \(input): it is numbered\(span)")
                }
                if let lo = residues.min(), let hi = residues.max(), first < lo || last > hi {
                    log("note: --range \(range) reaches past \(input)'s positions\(span): the logo shows \(chosen.count) of them")
                }
                values = chosen.map { values[$0] }; numbers = chosen.map { numbers[$0] }
            }
            guard perRow >= 1 else { throw ValidationError("--per-row must be at least 1") }
            var logo = SequenceLogo(values: values, letters: letters, mode: signed ? .signed : .information,
                                    positionNumbers: numbers, title: title ?? name)
            logo.columnsPerRow = perRow
            figure.apply(&logo)
            try outputs.write { try figure.write(logo.render(), to: output, overwrite: force) }
            log("wrote \(output) (\(values.count) positions × \(letters.count) letters)")
        }

        static let motifExtensions = [".meme", ".pfm", ".jaspar", ".transfac", ".cb", ".motif", ".motifs", ".meme.gz", ".pfm.gz", ".jaspar.gz", ".transfac.gz", ".cb.gz", ".motif.gz", ".motifs.gz"]

        /// (values[position][letter], letters, position numbers, title).
        func load() throws -> ([[Double]], [Character], [Int], String) {
            let lower = input.lowercased()
            let base = String(input.split(separator: "/").last ?? Substring(input))
            let matrix = lower.hasSuffix(".npy")
            let alignmentInput = !matrix && !lower.hasSuffix(".npz") && !Self.motifExtensions.contains(where: { lower.hasSuffix($0) })
            if signed && !matrix { throw ValidationError("--signed draws a matrix (.npy, e.g. an attribution map) as signed heights; \(input) is not one") }
            if !alignmentInput, let first = (alignment.alignmentShaping + (alignment.focus != nil ? ["--focus"] : [])).first {
                throw ValidationError("\(first) applies to an alignment; \(input) is a \(lower.hasSuffix(".npz") ? "model" : matrix ? "matrix" : "motif file")")
            }
            if lower.hasSuffix(".npz") {
                let archive = try ModelArchive.read(input)
                let q = archive.alphabet.size - 1, full = archive.alphabet.size
                let h = archive.fields.scalars
                let rows = (0..<archive.length).map { i -> [Double] in
                    let row = (0..<q).map { Double(h[i * full + $0]) }
                    let m = row.max() ?? 0
                    let e = row.map { exp($0 - m) }
                    let z = e.reduce(0, +)
                    return e.map { $0 / z }
                }
                let letters = archive.alphabet.letters.prefix(q).map { Character(UnicodeScalar($0)) }
                return (rows, letters, archive.residueNumbers, "\(archive.focusName): \(archive.modelType)")
            }
            if Self.motifExtensions.contains(where: { lower.hasSuffix($0) }) {
                let motifs = try MotifFile.read(input)
                let chosen = try motif.map { try motifs.selecting($0, path: input)[0] } ?? motifs[0]
                return (chosen.probabilities(), Motif.letters, Array(1...chosen.width), "\(chosen.id) \(chosen.name)")
            }
            if matrix {
                let array = try NPYFormat.read(input)
                guard array.shape.count == 2, [4, 20, 21].contains(array.shape[1]), array.shape[0] >= 1 else {
                    throw ValidationError("\(input): expected an (L, 4) or (L, 20) matrix, found shape \(array.shape)")
                }
                let (l, k) = (array.shape[0], array.shape[1])
                let letters: [Character] = k == 4 ? Motif.letters : Array("ACDEFGHIKLMNPQRSTVWY-".prefix(k))
                var rows: [[Double]] = []
                for i in 0..<l {
                    let row = (0..<k).map { array.double(at: i * k + $0) }
                    guard row.allSatisfy(\.isFinite) else { throw ValidationError("\(input): row \(i + 1) has a non-finite value") }
                    guard signed || row.allSatisfy({ $0 >= 0 }) else {
                        throw ValidationError("\(input): row \(i + 1) has a negative value; pass --signed for attribution maps")
                    }
                    rows.append(row)
                }
                guard rows.contains(where: { $0.contains { $0 != 0 } }) else {
                    throw ValidationError("\(input): every entry is 0: there is nothing to draw (probabilities, counts, or with --signed an attribution map)")
                }
                return (rows, letters, Array(1...l), base)
            }
            let msa = try alignment.read(input)
            let rows = msa.residueFrequencies(weights: weightsShowingProgress(msa, identity: 0.8, quiet: verbosity.quiet))
            let letters = msa.alphabet.letters.prefix(msa.alphabet.size - 1).map { Character(UnicodeScalar($0)) }
            return (rows, letters, msa.residueNumbers, "\(msa.names[msa.focus]): \(msa.count) sequences")
        }
    }
}
