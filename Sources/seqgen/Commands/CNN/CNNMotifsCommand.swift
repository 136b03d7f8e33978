#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import FileIO
import Motifs
import NumPyIO
import Tensors

extension Seqgen.CNN {
    struct Motifs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "motifs",
            abstract: "Motifs from attribution maps (TF-MoDISco's method): seqlets, clusters, contribution-weight and probability matrices, database matches.",
            discussion: """
            Reads the .npz of `seqgen cnn attribute -o A.npz` (arrays `attributions` and `x`, (N, 4, L) \
            or (N, L, 4); `index` if present), or maps from another tool with --sequences: each a .npy, \
            or a .npz holding `attributions` / `x`, `arr_0` or a single array. Hypothetical contributions: the map centred per position \
            over the four bases (with --hypothetical, or the .npz of `cnn attribute --hypothetical`, the map as it is); actual \
            contribution of a position: its observed base's entry. Seqlets: \
            --window-wide cores of largest summed contribution, above the |sum| at which the estimated \
            FDR against a null is at most --fdr (--null permutation: position-permuted contributions; \
            laplace: TF-MoDISco-lite's Laplace tails fitted to the real window sums around their mode, \
            for maps whose noise is correlated over neighbouring positions), cores not overlapping. Clusters (TF-MoDISco's): per sign, the graph of each seqlet's 500 \
            most similar (cosine of hypothetical contributions over shifts up to --flank and both \
            strands), density-adapted, cut into communities by modularity (Leiden, --leiden-iterations, best of 50 runs \
            from --seed); a core per community of --min-seqlets or more, cores ≥ --similarity merged, \
            every seqlet assigned to its most similar core if ≥ --similarity; cores left with fewer \
            than --min-seqlets are dropped. Per cluster: CWM (mean \
            contribution per base) and PPM (base counts), trimmed to the columns with at least --trim × \
            the largest |CWM| column sum; with --database, best match by Tomtom's method (Pearson, both \
            strands, q by Benjamini–Hochberg over the database). Writes DIR/motifs.meme, motifs.tsv, \
            seqlets.tsv, cwms.tsv, logos.png and report.md.
            """
        )

        /// The library's seqlet caller and clustering: the options' defaults.
        static let libraryCaller = SeqletCaller(), libraryClustering = SeqletClustering()

        @Argument(help: "Attribution maps (.npz from `seqgen cnn attribute -o A.npz`; with --sequences, a .npy or .npz of the maps alone).")
        var attributions: String

        @Option(help: "One-hot sequences the maps were computed on (.npy or .npz, (N, 4, L) or (N, L, 4)), for maps from another tool (Captum, tangermeme, DeepLIFT/SHAP; TF-MoDISco-lite's -s beside its -a).")
        var sequences: String?

        @Flag(help: "The maps are hypothetical contributions already (TF-MoDISco's hyp_scores, tangermeme's hypothetical=True): used as they are, not centred per position. Implied by the .npz of `cnn attribute --hypothetical`.")
        var hypothetical = false

        @Option(name: .shortAndLong, help: "Output directory (created if absent; its parent must exist).")
        var output: String

        @Option(help: "Motif database to match against (MEME or JASPAR), e.g. ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme.")
        var database: String?

        @Option(help: "Seqlet core width (bases).")
        var window = Self.libraryCaller.window

        @Option(help: "Bases on each side of a core; clustering shifts seqlets by up to this much.")
        var flank = Self.libraryCaller.flank

        @Option(help: "Target false discovery rate of the seqlet threshold.")
        var fdr = Self.libraryCaller.fdr

        @Option(help: "The seqlet threshold's null: permutation (positions exchangeable) or laplace (TF-MoDISco-lite's, fitted to the window sums).")
        var null = Self.libraryCaller.null

        @Option(help: "Null permutations per sequence (--null permutation; default \(Self.libraryCaller.permutations)).")
        var permutations: Int?

        @Option(help: "Cosine similarity (of hypothetical contributions) to join a motif; motifs as similar are merged.")
        var similarity = Self.libraryClustering.similarity

        @Option(help: "Fewest seqlets in a reported motif.")
        var minSeqlets = Self.libraryClustering.minimumSeqlets

        @Option(help: "Trim motif edges below this fraction of the largest CWM column.")
        var trim = Self.libraryClustering.trim

        @Option(parsing: .unconditional, help: "Leiden iterations per clustering run (leidenalg's default 2; -1: until no seqlet moves, TF-MoDISco-lite's setting, slower).")
        var leidenIterations = Self.libraryClustering.leidenIterations

        @Option(help: "q-value at which a database match counts (report and summary).")
        var qThreshold = Self.defaultQThreshold

        @Option(parsing: .unconditional, help: "Seed of the null permutations and of the clustering's random orders.")
        var seed: UInt64 = 0

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        static let files = ["motifs.meme", "motifs.tsv", "seqlets.tsv", "cwms.tsv", "logos.png", "report.md"]

        func validate() throws {
            try checkCount("--window", window, atLeast: 2)
            try checkCount("--flank", flank, atLeast: 0)
            guard fdr > 0, fdr < 1 else { throw ValidationError("--fdr must be in (0, 1) (got \(fdr))") }
            if null == .laplace && permutations != nil { throw ValidationError("--permutations applies to --null permutation") }
            let permutations = permutations ?? Self.libraryCaller.permutations
            guard (1...100).contains(permutations) else { throw ValidationError("--permutations must be 1–100 (got \(permutations))") }
            guard similarity > 0, similarity <= 1 else { throw ValidationError("--similarity must be in (0, 1] (got \(similarity))") }
            try checkCount("--min-seqlets", minSeqlets)
            try checkFraction("--trim", trim, belowOne: true)
            guard leidenIterations >= 1 || leidenIterations == -1 else { throw ValidationError("--leiden-iterations must be a positive count or -1 (until no seqlet moves) (got \(leidenIterations))") }
            guard qThreshold > 0, qThreshold <= 1 else { throw ValidationError("--q-threshold must be in (0, 1] (got \(qThreshold))") }
            if database == nil && qThreshold != Self.defaultQThreshold { throw ValidationError("--q-threshold judges database matches; it needs --database") }
        }

        static let defaultQThreshold = 0.05

        func run() throws {
            try runtime.apply(ownThreading: true)
            let (maps, index) = try readMaps()
            guard window + 2 * flank <= maps.length else {
                throw FileIOError(path: attributions, "sequences of \(maps.length) bp are shorter than a seqlet (--window \(window) + 2 × --flank \(flank))")
            }
            let db = try database.map { try MotifFile.read($0) }
            let created = try makeDirectory(output)
            if created { ExitCleanup.removeOnExit(output) }       // gone again if nothing is written
            let paths = Self.files.map { output + "/" + $0 }
            let outputs = try declareOutputs(force: force, group: paths)
            let clock = Stopwatch()
            let discovery = AttributionMotifs(
                caller: SeqletCaller(window: window, flank: flank, fdr: fdr, permutations: permutations ?? Self.libraryCaller.permutations, seed: seed, null: null),
                clustering: SeqletClustering(similarity: similarity, maxShift: flank, minimumSeqlets: minSeqlets, trim: trim, seed: seed,
                                             leidenIterations: leidenIterations))
            nonisolated(unsafe) let bar = DeferredProgressBar("clustering seqlets", quiet: runtime.quiet)   // one reporting thread at a time
            let result = discovery.discover(maps, database: db, clusteringProgress: { bar.report($0, of: $1) })
            bar.finish()
            guard !result.motifs.isEmpty else {
                let s = result.seqlets
                let called = s.seqlets.isEmpty
                    ? (null == .laplace ? "no window passed the Laplace null at FDR \(fdr) (fitted to the window sums, it explains them: maps of noise, or of motifs in most windows, where --null permutation applies)"
                                        : "no seqlet passed the null of shuffled maps (all-zero or flat maps?)")
                    : "\(s.seqlets.count) seqlets formed no cluster of --min-seqlets \(minSeqlets) or more"
                throw FileIOError(path: attributions, "no motif found in \(maps.count) sequences: \(called); nothing written")
            }
            let report = AttributionMotifsReport(result: result, database: db, sequenceIndex: index, qThreshold: qThreshold,
                                                 source: attributions, databasePath: database)
            let grid = try report.logoGrid()
            try outputs.write {
                try AtomicFile.write(MEMEFormat.render(result.motifs.map(\.motif)), to: paths[0], overwrite: true)
                try AtomicFile.write(report.motifTable, to: paths[1], overwrite: true)
                try AtomicFile.write(report.seqletTable, to: paths[2], overwrite: true)
                try AtomicFile.write(report.cwmTable, to: paths[3], overwrite: true)
                try grid.write(to: paths[4], overwrite: true)
                try AtomicFile.write(report.markdown, to: paths[5], overwrite: true)
            }
            ExitCleanup.keep(output)
            let s = result.seqlets
            log("\(s.seqlets.count) seqlets (|sum| ≥ \(fixed(Double(s.threshold), 3)), FDR \(fdr)) in \(maps.count) sequences; \(result.motifs.count) motifs → \(output)/ (\(fixed(clock.seconds, 2)) s)")
            print(report.summary, terminator: "")
        }

        /// The maps and one-hot sequences, layout detected from the axis of size 4.
        func readMaps() throws -> (ContributionMaps, [Int]?) {
            let a: Tensor, x: Tensor, index: [Int]?
            var hypothetical = self.hypothetical
            if let sequences {
                (a, x, index) = (try Self.array(attributions, named: "attributions"), try Self.array(sequences, named: "x"), nil)
            } else {
                guard !attributions.lowercased().hasSuffix(".npy") else {
                    throw FileIOError(path: attributions, "a .npy holds only the maps; give the .npz of `seqgen cnn attribute -o A.npz` (arrays attributions and x), or the one-hot sequences with --sequences")
                }
                let archive = try NPZArchive.read(attributions)
                (a, x) = (try archive.require("attributions", in: attributions).tensor(), try archive.require("x", in: attributions).tensor())
                index = try archive["index"].map { try $0.ints() }
                if let flag = archive["hypothetical"], try flag.ints() == [1] { hypothetical = true }
            }
            guard a.shape == x.shape, a.shape.count == 3 else {
                let arrays = sequences == nil ? "attributions \(a.shape) and x \(x.shape)" : "sequences \(x.shape) and the maps of \(attributions) \(a.shape)"
                throw FileIOError(path: sequences ?? attributions, "\(arrays) must have one shape, (N, 4, L) or (N, L, 4)")
            }
            guard a.shape[0] > 0 else { throw FileIOError(path: attributions, "holds no sequences (attributions \(a.shape))") }
            let channelsFirst = a.shape[1] == 4
            guard channelsFirst || a.shape[2] == 4 else {
                throw FileIOError(path: attributions, "attributions \(a.shape): expected (N, 4, L) or (N, L, 4)")
            }
            guard a.scalars.allSatisfy({ $0.isFinite }) else { throw FileIOError(path: attributions, "attributions contain NaN or infinite values") }
            let l = channelsFirst ? a.shape[2] : a.shape[1]
            if let (n, i, total) = DNASplits.oneHotProblem(channelsFirst ? x : x.permuted([0, 2, 1])) {
                throw FileIOError(path: sequences ?? attributions, "\(sequences == nil ? "x is" : "the sequences are") not one-hot: sequence \(n), position \(i) sums to \(total) over A, C, G, T (expected the one-hot sequences the maps were computed on)")
            }
            if let index, index.count != a.shape[0] {
                throw FileIOError(path: attributions, "index has \(index.count) entries for \(a.shape[0]) maps")
            }
            return (ContributionMaps(attributions: a.scalars, onehot: x.scalars, count: a.shape[0], length: l, channelsFirst: channelsFirst,
                                     hypothetical: hypothetical), index)
        }

        /// The array of a .npy, or of a .npz: the one called `name`, else numpy.savez's `arr_0`, else its
        /// only array.
        static func array(_ path: String, named name: String) throws -> Tensor {
            if path.lowercased().hasSuffix(".npy") { return try NPYFormat.read(path).tensor() }
            let archive = try NPZArchive.read(path)
            if let a = archive[name] ?? archive["arr_0"] { return try a.tensor() }
            guard archive.names.count == 1, let only = archive[archive.names[0]] else {
                throw FileIOError(path: path, "holds \(archive.names.count) arrays (\(archive.names.joined(separator: ", "))); expected '\(name)', 'arr_0' or a single array")
            }
            return try only.tensor()
        }

        /// Creates `path` as a directory unless it is one already (its parent must exist); true when
        /// it was created.
        func makeDirectory(_ path: String) throws -> Bool {
            var st = stat()
            if stat(path, &st) == 0 {
                guard st.st_mode & S_IFMT == S_IFDIR else { throw FileIOError(path: path, "exists and is not a directory; -o names an output directory") }
                return false
            }
            guard mkdir(path, 0o755) == 0 else {
                throw FileIOError(path: path, "cannot create the output directory: \(String(cString: strerror(errno)))")
            }
            return true
        }
    }
}

extension AttributionMotifsReport {
    /// CWM (signed) and PPM (information) logos of every motif, two per row.
    func logoGrid() throws -> Canvas {
        let (panels, signed) = logoPanels
        guard !panels.isEmpty else { return Canvas(width: 400, height: 120) }
        return try LogoGrid(logos: panels, columns: 2, signed: signed).render()
    }
}

extension SeqletCaller.Null: ExpressibleByArgument {}
