import Console
import ArgumentParser
import Pipelines
import Generative
import Sequences
import Tensors

extension Seqgen.Eval {
    struct Generative: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generative",
            abstract: "How well sampled sequences reproduce an alignment's statistics.",
            discussion: """
            Pearson r of one-site frequencies, pair frequencies, connected correlations C_ij(a,b) and \
            three-site connected correlations on random triplets (reference weighted as for fitting, \
            samples unweighted); Hamming distance of samples to their nearest reference sequence beside \
            the reference's own nearest-neighbour distances; --plot draws the samples on the reference's \
            first two principal components and the C_ij scatter.
            """
        )

        @Argument(help: "Sampled sequences (FASTA from `seqgen sample`), over the model's columns.")
        var samples: String

        @Option(help: "Reference alignment (the training alignment).")
        var reference: String

        @OptionGroup(title: "Reading --reference (the samples are read in its alphabet, every column kept)") var input: AlignmentOptions

        @Option(parsing: .unconditional, help: "Identity threshold for reference weights (0.8 = θ 0.2, as for fitting).")
        var identity = 0.8

        @Option(parsing: .unconditional, help: "Random column triplets for the three-site correlations.")
        var triplets = 1000

        @Option(parsing: .unconditional, help: "Samples (and reference sequences) whose nearest-neighbour distance is computed.")
        var distanceSamples = 1000

        @Option(parsing: .unconditional, help: "Seed for the triplets, distance subsets and PCA start.")
        var seed: UInt64 = 1

        @Option(help: "Figure (PCA + C_ij scatter), .png or .svg.")
        var plot: String?

        @Flag(help: "Print JSON.")
        var json = false

        @Flag(help: "Overwrite an existing figure.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let outputs = try declareOutputs(force: force, plot)
            let ref = try input.read(reference)
            // The samples in the reference's alphabet, every column kept (they are the model's columns).
            let smp = try AlignmentReader(format: nil, keepAllColumns: true, alphabet: ref.alphabet).read(samples)
            let weights = weightsShowingProgress(ref, identity: identity, quiet: runtime.quiet)
            let e: GenerativeEvaluation
            do {
                e = try GenerativeEvaluation(samples: smp, reference: ref, referenceWeights: weights, tripletCount: triplets,
                                             distanceSamples: distanceSamples, seed: seed)
            } catch let error as SamplingError { throw ValidationError("\(samples): \(error.description)") }
            if let plot {
                let title = ref.names[ref.focus].split(separator: "/").first.map(String.init) ?? ""
                try outputs.write { try e.figure(title: title).write(to: plot, overwrite: force) }
                wrote(plot)
            }
            let q = GenerativeEvaluation.quantile
            let d = [0.05, 0.5, 0.95]
            if json {
                func number(_ x: Double?) -> JSONText { x.map { .double($0) } ?? .null }
                JSONText.emit([
                    ("samples", .string(samples)), ("reference", .string(reference)),
                    ("sample_count", .int(smp.count)), ("reference_count", .int(ref.count)), ("length", .int(ref.length)),
                    ("neff", .double(SequenceWeights.effectiveCount(weights))),
                    ("pearson_single", number(e.singlePearson)), ("pearson_pair", number(e.pairPearson)),
                    ("pearson_connected", number(e.connectedPearson)), ("pearson_three_site", number(e.threeSitePearson)),
                    ("triplets", .int(e.triplets)),
                    ("nearest_distance_samples", .object(d.map { ("q\(Int($0 * 100))", .double(q(e.sampleDistances, $0))) }
                        + [("copies", .int(e.sampleDistances.filter { $0 == 0 }.count)), ("n", .int(e.sampleDistances.count))])),
                    ("nearest_distance_reference", .object(d.map { ("q\(Int($0 * 100))", .double(q(e.referenceDistances, $0))) }
                        + [("n", .int(e.referenceDistances.count))])),
                ])
                return
            }
            func r(_ x: Double?) -> String { x.map { fixed($0, 3) } ?? "n/a" }
            print("samples \(samples): \(smp.count) × \(smp.length); reference \(reference): \(ref.count) sequences, Neff \(fixed(SequenceWeights.effectiveCount(weights), 1))")
            print("Pearson r  one-site \(r(e.singlePearson))  pairs \(r(e.pairPearson))  connected C_ij \(r(e.connectedPearson))  three-site C_ijk \(r(e.threeSitePearson)) (\(e.triplets) triplets)")
            print("nearest reference sequence (fraction of columns differing), 5% / median / 95%:")
            print("  samples    \(d.map { fixed(q(e.sampleDistances, $0), 3) }.joined(separator: " / "))  (\(e.sampleDistances.filter { $0 == 0 }.count) of \(e.sampleDistances.count) are copies)")
            print("  reference  \(d.map { fixed(q(e.referenceDistances, $0), 3) }.joined(separator: " / "))  (to the nearest other reference sequence)")
        }
    }
}
