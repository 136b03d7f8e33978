import Console
import ArgumentParser
import Pipelines
import Potts
import Contacts
import Structures
import LanguageModel
import FileIO

extension Seqgen.Eval {
    struct Contacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contacts",
            abstract: "Precision of the top L, L/2, L/5, L/10 predicted contacts against a structure.",
            discussion: "Rows: |i − j| ≥ 6, ≥ 12, ≥ 24 and the separation bins short (6–11), medium (12–23), long (≥ 24). Contacts: Cβ–Cβ < 8 Å (Cα for glycine) by default; --contact-definition ca or heavy (minimum heavy-atom distance < 5 Å, as EVcouplings). The structure is mapped onto the model's focus sequence by local alignment where that finds the focus (unrelated ends such as tags stay unmapped), else by global alignment; pairs without coordinates are skipped."
        )

        @Argument(help: "Model file (.npz from `seqgen fit`); contacts are its pair scores (APC-corrected Frobenius norms by default; see --score, --raw).")
        var model: String?

        @Option(help: "Evaluate a family list instead of one model: one 'MODEL STRUCTURE [CHAIN]' per line (paths relative to the list); prints each family and the mean.")
        var families: String?

        @OptionGroup var truthOptions: TruthOptions

        @Option(help: "Also draw the contact map (predicted pairs against the truth) to this PNG or SVG.")
        var plot: String?

        @OptionGroup var plotOptions: ContactPlotOptions

        @Flag(help: "Overwrite an existing figure.")
        var force = false

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup(title: "Pair scores") var pairs: PairScoreOptions

        @Option(help: "LM: fit Rao et al.'s logistic regression over the heads against this structure and write it (CSV) here; the precisions printed are then those of the regression on the pairs it was fitted on.")
        var fitHeadRegression: String?

        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            if let families { return try runFamilies(families) }
            let model = model!
            let outputs = try declareOutputs(force: force, plot, fitHeadRegression)
            let archive = try ModelArchive.read(model, need: "eval contacts needs a Potts, Gaussian, attention, ArDCA, VAE or language model")
            var map = try pairs.scores(archive, path: model).map
            guard let (truth, described) = try truthOptions.load(archive, length: map.length) else {
                throw ValidationError("give --pdb STRUCTURE or --truth PAIRS (or fit the model on a Stockholm alignment with a #=GC SS_cons line)")
            }
            if let fitHeadRegression {
                let heads = try archive.languageModelHeadMaps(path: model)
                let regression = HeadRegression.fit(heads: heads.maps, labels: heads.labels, truth: truth)
                map = regression.predict(heads.maps)
                let text = regression.table(comments: ["seqgen LM head regression (Rao et al. 2020): contact logit = bias + sum of weight x APC attention score of the head",
                                                       "fitted on \(model) against \(described), pairs with |i-j| >= 6, L2 penalty 0.1"])
                try outputs.write { try AtomicFile.write(text, to: fitHeadRegression, overwrite: force) }
                wrote(fitHeadRegression)
                log("the precisions below are the head regression's on the pairs it was fitted on")
            }
            let mapped = truth.mapping.compactMap { $0 }.count
            let evaluation = ContactEvaluation(prediction: map, truth: truth)
            if let plot {
                try outputs.write { try plotOptions.plot(map, truth: truth, archive: archive, name: archive.focusName).write(to: plot, overwrite: force, dpi: plotOptions.figure.dpi) }
                wrote(plot)
            }
            if json {
                JSONText.emit([
                    ("model", .string(model)), ("truth", .string(described)),
                    ("length", .int(map.length)), ("mapped_columns", .int(mapped)), ("mismatches", .int(truth.mismatches)),
                    ("identity", .double(truth.identity)), ("coverage", .double(truth.coverage)),
                    ("contact_definition", truth.definition.map { .string($0.rawValue) } ?? .null), ("threshold", .double(truth.threshold)),
                    ("precision", precisionJSON(evaluation)),
                ])
                return
            }
            print("model \(model): L = \(map.length); truth \(described)")
            printTable(evaluation)
        }

        /// A precision as the tables show it: "  n/a" where the range holds no pair of known truth.
        func precisionText(_ precision: Double?) -> String { precision.map { fixed($0, 3) } ?? "  n/a" }

        func printTable(_ evaluation: ContactEvaluation) {
            print("separation      top-L  top-L/2  top-L/5  top-L/10  (true contacts)")
            for row in evaluation.rows {
                let p = row.precisions.map { precisionText($0.precision) }
                let name = row.range.name.hasPrefix("≥") ? "|i-j| \(row.range.name)"
                    : "\(row.range.name) \(row.range.minimum)\(row.range.maximum.map { "-\($0)" } ?? "+")"
                print(name.padding(15) + " \(p[0])  \(p[1])    \(p[2])    \(p[3])     (\(row.trueContacts))")
            }
        }

        func precisionJSON(_ evaluation: ContactEvaluation) -> JSONText {
            .array(evaluation.rows.map { row in
                .object([("range", .string(row.range.name)), ("min_separation", .int(row.range.minimum)),
                         ("max_separation", row.range.maximum.map { .int($0) } ?? .null), ("true_contacts", .int(row.trueContacts))]
                        + row.precisions.map { ("top_" + $0.label.replacingSlash, $0.precision.map { .double($0) } ?? .null) })
            })
        }

        /// --families: every listed model against its structure (or its own consensus base pairs), then the mean over families.
        func runFamilies(_ list: String) throws {
            let entries = try ContactFamilyList.read(list).entries
            var evaluations: [ContactEvaluation] = []
            var rows: [(ContactFamilyList.Entry, ContactEvaluation, String)] = []
            var truths: [ContactTruth] = []
            for e in entries {
                let archive = try ModelArchive.read(e.model, need: "eval contacts needs a Potts, Gaussian, attention, ArDCA, VAE or language model")
                let map = try pairs.scores(archive, path: e.model).map
                let (truth, described): (ContactTruth, String)
                if let structure = e.structure {
                    (truth, described) = try truthOptions.load(structure: structure, chain: e.chain, focus: archive.focusSequence)
                } else if let pairs = TruthOptions.basePairs(of: archive, length: map.length) {
                    (truth, described) = pairs
                } else {
                    throw FileIOError(path: list, line: e.line, "\(e.model) carries no consensus base pairs (#=GC SS_cons): give its structure, MODEL STRUCTURE [CHAIN]")
                }
                let evaluation = ContactEvaluation(prediction: map, truth: truth)
                evaluations.append(evaluation); rows.append((e, evaluation, described)); truths.append(truth)
            }
            let mean = ContactEvaluation.mean(evaluations)!
            if json {
                JSONText.emit([
                    ("families", .array(rows.map { (e, ev, described) in
                        .object([("model", .string(e.model)), ("truth", .string(described)), ("length", .int(ev.length)), ("precision", precisionJSON(ev))])
                    })),
                    ("contact_definition", .string(Set(truths.compactMap { $0.definition?.rawValue }).sorted().joined(separator: ","))),
                    ("mean", .object([("families", .int(evaluations.count)), ("precision", precisionJSON(mean))])),
                ])
                return
            }
            let long = mean.rows.firstIndex { $0.range == ContactEvaluation.SeparationRange.bins[2] }!
            print("family".padding(32) + "    L  P@L(≥6)  P@L/5(≥6)  P@L(long)  P@L/5(long)")
            let lines = rows.map { (String($0.0.model.split(separator: "/").last ?? ""), $0.1) } + [("mean of \(evaluations.count)", mean)]
            for (name, ev) in lines {
                print(name.padding(32) + String(repeating: " ", count: max(0, 5 - String(ev.length).count)) + String(ev.length) + "  "
                      + precisionText(ev.rows[0].precisions[0].precision) + "    " + precisionText(ev.rows[0].precisions[2].precision) + "      "
                      + precisionText(ev.rows[long].precisions[0].precision) + "      " + precisionText(ev.rows[long].precisions[2].precision))
            }
            print("mean over \(evaluations.count) families:")
            printTable(mean)
        }
    }
}

extension String {
    var replacingSlash: String { String(map { $0 == "/" ? "_" : $0 }) }
}
