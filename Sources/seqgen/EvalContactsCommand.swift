import ArgumentParser
import Potts
import Contacts
import Structures

struct EvalContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Precision of the top L, L/2, L/5 predicted contacts against a structure.",
        discussion: "Contacts: Cβ–Cβ < threshold (Cα for glycine). The structure is mapped onto the model's focus sequence by global alignment; pairs without coordinates are skipped."
    )

    @Argument(help: "Model file (.npz from `seqgen fit`); contacts are its APC-corrected scores.")
    var model: String

    @OptionGroup var truthOptions: TruthOptions

    @Option(help: "Also draw the contact map (predicted pairs against the truth) to this PNG or SVG.")
    var plot: String?

    @OptionGroup var plotOptions: ContactPlotOptions

    @Flag(help: "Overwrite an existing figure.")
    var force = false

    @Flag(help: "Score raw Frobenius norms instead of APC-corrected ones.")
    var raw = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        if let plot { try refuseExisting(plot, force: force) }
        let archive = try ModelArchive.read(model)
        let map = try contactMap(of: archive, path: model, raw: raw)
        guard let (truth, described) = try truthOptions.load(focus: archive.focusSequence, length: map.length) else {
            throw ValidationError("give --pdb STRUCTURE or --truth PAIRS")
        }
        let mapped = truth.mapping.compactMap { $0 }.count
        let evaluation = ContactEvaluation(prediction: map, truth: truth)
        if let plot {
            try plotOptions.plot(map, truth: truth, archive: archive, name: archive.focusName).write(to: plot, overwrite: force, dpi: plotOptions.figure.dpi)
        }
        if json {
            print(JSONText.render([
                ("model", .string(model)), ("truth", .string(described)),
                ("length", .int(map.length)), ("mapped_columns", .int(mapped)), ("mismatches", .int(truth.mismatches)),
                ("threshold", .double(truthOptions.threshold)),
                ("precision", .array(evaluation.rows.map { row in
                    .object([("min_separation", .int(row.minimumSeparation)), ("true_contacts", .int(row.trueContacts))]
                            + row.precisions.map { ("top_" + $0.label.replacingSlash, .double($0.precision)) })
                })),
            ]))
            return
        }
        print("model \(model): L = \(map.length); truth \(described)")
        print("sep   top-L  top-L/2  top-L/5  (true contacts)")
        for row in evaluation.rows {
            let p = row.precisions.map { fixed($0.precision, 3) }
            print("≥\(row.minimumSeparation)".padding(5) + " \(p[0])  \(p[1])    \(p[2])    (\(row.trueContacts))")
        }
    }
}

extension String {
    var replacingSlash: String { String(map { $0 == "/" ? "_" : $0 }) }
}
