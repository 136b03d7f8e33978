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

    @Option(help: "PDB or mmCIF file.")
    var pdb: String

    @Option(help: "Chain id (default: the first chain).")
    var chain: String?

    @Option(help: "Model number in a multi-model file (default: the first).")
    var modelNumber: Int?

    @Option(help: "Contact distance threshold in Å.")
    var threshold = 8.0

    @Flag(help: "Score raw Frobenius norms instead of APC-corrected ones.")
    var raw = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let archive = try ModelArchive.read(model)
        let map = try contactMap(of: archive, path: model, raw: raw)
        let structure = try StructureReader(chain: chain, model: modelNumber).read(pdb)
        let truth = ContactTruth(structure: structure, focus: archive.focusSequence, threshold: threshold)
        let mapped = truth.mapping.compactMap { $0 }.count
        let evaluation = ContactEvaluation(prediction: map, truth: truth)
        if json {
            print(JSONText.render([
                ("model", .string(model)), ("structure", .string(pdb)), ("chain", .string(structure.chain)),
                ("length", .int(map.length)), ("mapped_columns", .int(mapped)), ("mismatches", .int(truth.mismatches)),
                ("threshold", .double(threshold)),
                ("precision", .array(evaluation.rows.map { row in
                    .object([("min_separation", .int(row.minimumSeparation)), ("true_contacts", .int(row.trueContacts))]
                            + row.precisions.map { ("top_" + $0.label.replacingSlash, .double($0.precision)) })
                })),
            ]))
            return
        }
        print("model \(model): L = \(map.length); structure \(pdb) chain '\(structure.chain)': \(mapped) columns mapped, \(truth.mismatches) mismatched letters")
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
