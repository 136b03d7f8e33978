import Console
import ArgumentParser
import Potts
import Contacts
import Structures
import Figures
import NumPyIO
import FileIO
import Tensors
import Pipelines

extension ContactDefinition: ExpressibleByArgument {}

/// Where the true contacts come from: a structure, or a pairs file.
struct TruthOptions: ParsableArguments {
    @Option(help: "PDB or mmCIF structure giving the true contacts.")
    var pdb: String?

    @Option(help: "Chain id in --pdb (the author's id in mmCIF; default: the first chain, or the first that is the model's focus protein when the first is not).")
    var chain: String?

    @Option(parsing: .unconditional, help: "Model number in a multi-model --pdb file (default: the first).")
    var modelNumber: Int?

    @Option(help: "Contact definition: cb (Cβ–Cβ, Cα for glycine; CASP; the default for protein chains), ca (Cα–Cα) or heavy (minimum heavy-atom distance; EVcouplings; the default for RNA and DNA chains).")
    var contactDefinition: ContactDefinition?

    @Option(parsing: .unconditional, help: "Contact distance threshold in Å (default: 8 for cb and ca; for heavy 5 on proteins, as EVcouplings, and 8 on RNA and DNA, as R-scape).")
    var threshold: Double?

    @Option(help: "Contact-truth file instead of a structure: one true pair per line, two 1-based column numbers.")
    var truth: String?

    @Flag(help: "Evaluate even when the structure's sequence matches the model's focus at under 90% identity.")
    var allowMismatch = false

    /// The truth for `archive`: --pdb, --truth, or else the consensus secondary structure the model
    /// carries from its alignment (an RNA family's `#=GC SS_cons`); nil when there is none of them.
    func load(_ archive: ModelArchive, length: Int) throws -> (ContactTruth, String)? {
        if let pdb {
            guard truth == nil else { throw ValidationError("give --pdb or --truth, not both") }
            return try load(structure: pdb, chain: chain, focus: archive.focusSequence)
        }
        if let truth { return (try ContactTruth.read(pairsFile: truth, length: length), truth) }
        return Self.basePairs(of: archive, length: length)
    }

    /// The consensus base pairs `archive` carries from its alignment as the truth; nil when it has none.
    static func basePairs(of archive: ModelArchive, length: Int) -> (ContactTruth, String)? {
        let pairs = archive.basePairs
        guard !pairs.isEmpty, pairs.allSatisfy({ $0.j < length }) else { return nil }
        return (ContactTruth(truePairs: pairs.map { ($0.i, $0.j) }, length: length),
                "the alignment's consensus secondary structure (#=GC SS_cons: \(pairs.count) base pairs)")
    }

    /// The contacts of `pdb` (chain `chain`, or the first) mapped onto `focus`, by this group's
    /// definition and threshold.
    func load(structure pdb: String, chain: String?, focus: String) throws -> (ContactTruth, String) {
        if let threshold, !(threshold > 0) { throw ValidationError("--threshold must be positive") }
        let reader = StructureReader(chain: chain, model: modelNumber)
        var structure = try reader.read(pdb)
        let first = Result { try truth(structure, focus: focus, path: pdb) }
        var t: ContactTruth, note = ""
        // Without --chain, a complex whose first chain is another subunit (or DNA): the first chain that is the focus's protein.
        if chain == nil, (try? first.get())?.agrees() != true,
           let (other, truth) = try reader.readChains(pdb).lazy.filter({ $0.chain != structure.chain })
               .compactMap({ s in (try? self.truth(s, focus: focus, path: pdb)).map { (s, $0) } }).first(where: { $0.1.agrees() }) {
            note = " (the first chain, '\(structure.chain)', is not the focus's protein)"
            (structure, t) = (other, truth)
        } else {
            t = try first.get()
        }
        if !allowMismatch { try t.requireAgreement(structure: pdb, chain: structure.chain) }
        try t.requireEvaluablePairs(structure: pdb, chain: structure.chain)
        let nucleic = structure.isNucleicAcid ? " (nucleic acid: contacts are heavy-atom distances < \(fixed(t.threshold, 1)) Å)" : ""
        return (t, "\(pdb) chain '\(structure.chain)'\(note)\(nucleic): \(t.agreementSummary)")
    }

    /// `structure`'s contacts mapped onto `focus` by this group's definition and threshold.
    private func truth(_ structure: Structure, focus: String, path pdb: String) throws -> ContactTruth {
        if structure.isNucleicAcid, let given = contactDefinition, given != .heavyAtom {
            throw FileIOError(path: pdb, "chain '\(structure.chain)' is RNA or DNA, which has no Cβ or Cα: drop --contact-definition \(given.rawValue) (nucleic acids take heavy, the minimum heavy-atom distance, < 8 Å unless --threshold)")
        }
        return ContactTruth(structure: structure, focus: focus, definition: contactDefinition, threshold: threshold)
    }
}
