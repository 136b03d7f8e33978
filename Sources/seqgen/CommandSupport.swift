import ArgumentParser
import Console
import FileIO
import Mutations
import Pipelines

/// Declares a command's output files before any work is done: each is checked (directory exists
/// and is writable, not a directory, not an existing file unless --force) and locked against a
/// second run; `group` are files written together under one prefix (see `OutputSet`). Write them
/// inside `outputs.write { … }` to get all of them or none.
func declareOutputs(force: Bool, _ files: String?..., group: [String] = []) throws -> OutputSet {
    for f in files.compactMap({ $0 }) {
        if let ext = f.pathExtension(), unwrittenImageFormats.contains(ext) {
            throw FileIOError(path: f, "seqgen writes figures as PNG or SVG, not .\(ext): name it .png or .svg")
        }
    }
    let set = OutputSet(force: force)
    if !group.isEmpty { try set.add(group: group) }
    for f in files { try set.add(f) }
    try set.refuseInputs(named: Array(CommandLine.arguments.dropFirst()))
    for n in set.notes { log("note: \(n)") }
    return set
}

/// Refuses an output named with an extension other than `allowed` (e.g. an NPZ archive named .npy,
/// a TSV table named .npy): the file would hold what its name does not say.
func requireExtension(_ path: String, _ allowed: [String], holding what: String) throws {
    let ext = path.pathExtension()?.lowercased()
    guard let ext, allowed.contains(ext) else {
        throw FileIOError(path: path, "this output is \(what): name it .\(allowed.joined(separator: " or ."))")
    }
}

/// Image formats no figure is written in: a file named so would hold PNG bytes.
let unwrittenImageFormats: Set<String> = ["jpg", "jpeg", "pdf", "gif", "tif", "tiff", "eps", "ps", "webp", "bmp"]

/// Checks the checkpoint path of a run that may save one (periodically, or when interrupted):
/// its directory, and a file already there is the one resumed or, with --force, replaced; and a
/// checkpoint to resume must open (`members`: an ensemble's, any member's).
func declareCheckpoint(_ outputs: OutputSet, path: String, resume: String?, members: Int = 1) throws {
    try CheckpointPlan(path: path, resume: resume).checkResumable(members: members)
    try outputs.checkDirectory(of: path)
    try outputs.checkCheckpoint(path, resume: resume, named: Array(CommandLine.arguments.dropFirst()))
}

/// "wrote F" for an output file (a figure, a table…), like every other output.
func wrote(_ path: String, _ detail: String = "") { log("wrote \(path)" + (detail.isEmpty ? "" : " \(detail)")) }

/// Says how many rows of a scan were left out because they name no substitution (wild type,
/// synonymous aggregates, insertions, deletions: `Variant.namesNoSubstitution`).
func logWithoutSubstitution(_ table: MutationTable) {
    let skipped = table.withoutSubstitution
    guard !skipped.isEmpty else { return }
    log("\(table.source): \(skipped.count) row\(skipped.count == 1 ? " names" : "s name") no substitution (wild type, synonymous, insertion, deletion, stop-codon change or unknown consequence), left out (e.g. \(skipped.prefix(3).joined(separator: ", ")))")
}
