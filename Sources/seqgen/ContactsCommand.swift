import ArgumentParser
import Potts
import Contacts
import NumPyIO
import FileIO
import Tensors

/// Contact scores of a model with couplings: APC-corrected Frobenius norms (or raw norms).
func contactMap(of archive: ModelArchive, path: String, raw: Bool = false) throws -> ContactMap {
    guard let j = archive.couplings else {
        throw ValidationError("\(path): a \(archive.modelType) model has no couplings to score contacts from")
    }
    let block = 0..<(archive.alphabet.size - 1)     // every state but the gap
    let norms = ContactMap.frobeniusNorms(couplings: j, block: block)
    return raw ? norms : norms.apc()
}

struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Contact scores from a model's couplings: PREFIX.csv (ranked pairs), PREFIX.mat (CCMpred), PREFIX.npy.",
        discussion: "Scores are Frobenius norms of each zero-sum-centred 20×20 coupling block (gap excluded), APC-corrected unless --raw. Columns are numbered by the focus sequence."
    )

    @Argument(help: "Model file written by `seqgen fit`.")
    var model: String

    @Option(name: .shortAndLong, help: "Output prefix.")
    var output: String

    @Flag(help: "Raw Frobenius norms, without APC.")
    var raw = false

    @Option(help: "Only list pairs with |i − j| ≥ this in the CSV.")
    var minSeparation = 1

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    func run() throws {
        let paths = [output + ".csv", output + ".mat", output + ".npy"]
        for p in paths { try refuseExisting(p, force: force) }
        let archive = try ModelArchive.read(model)
        let map = try contactMap(of: archive, path: model, raw: raw)
        let letters = Array(archive.focusSequence)
        var csv = "i,j,residue_i,residue_j,aa_i,aa_j,score\n"
        for p in map.rankedPairs(minimumSeparation: minSeparation) {
            csv += "\(p.i + 1),\(p.j + 1),\(archive.residueNumbers[p.i]),\(archive.residueNumbers[p.j]),\(letters[p.i]),\(letters[p.j]),\(p.score)\n"
        }
        try AtomicFile.write(csv, to: paths[0], overwrite: force)
        try AtomicFile.write(map.matText(), to: paths[1], overwrite: force)
        try NPYFormat.write(NumPyArray(floats: map.scores, shape: [map.length, map.length]), to: paths[2], overwrite: force)
        log("wrote \(paths.joined(separator: ", ")) (L = \(map.length))")
    }
}
