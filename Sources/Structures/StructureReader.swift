import FileIO

/// Reads PDB and mmCIF files (gzipped too): ATOM records, and HETATM records of MSE (as MET) and of
/// modified nucleotides (`Structure.modifiedResidues`, read as their parents' letters),
/// for one chain of one model, without the hydrogens the element column names (no contact
/// definition reads them; `Structure.isHydrogen` tells the rest by name). The first alternate location of each atom is kept; residues are
/// distinguished by number and insertion code. Format by extension (.cif/.mmcif) or content.
public struct StructureReader: Sendable {
    /// Chain identifier (author chain id); default: the first chain in the file.
    public var chain: String?
    /// Model number; default: the first model.
    public var model: Int?

    public init(chain: String? = nil, model: Int? = nil) { self.chain = chain; self.model = model }

    struct AtomRecord {
        var atom: String, altLoc: Character?, residue: String, chain: String, number: Int, insertion: Character?
        var position: SIMD3<Double>, model: Int, hetero: Bool
        /// mmCIF's `label_asym_id` (the archive's chain id; `chain` is the author's); nil in PDB files.
        var labelChain: String? = nil
    }

    public func read(_ path: String) throws -> Structure {
        let (atoms, chains) = try modelAtoms(path)
        guard let chosenChain = chain else {
            // The first chain with a residue: a file may open with a chain of ligands or waters.
            let first = chains.lazy.map { structure(of: $0, atoms, path: path) }.first { !$0.residues.isEmpty }
            return first ?? structure(of: chains[0], atoms, path: path)
        }
        guard chains.contains(chosenChain) else {
            // mmCIF names each chain twice; seqgen reads the author's id, as PDB files and most tools give it.
            let author = atoms.first { $0.labelChain == chosenChain }.map { "; '\(chosenChain)' is this mmCIF file's label_asym_id of author chain '\($0.chain)', the id read here: pass --chain \($0.chain)" } ?? ""
            throw FileIOError(path: path, "no chain '\(chosenChain)' (chains: \(chains.map { $0.isEmpty ? "' ' (blank)" : $0 }.joined(separator: ", ")))\(author)")
        }
        return structure(of: chosenChain, atoms, path: path)
    }

    /// Every chain of the model with at least one residue, in file order (`chain` is ignored).
    public func readChains(_ path: String) throws -> [Structure] {
        let (atoms, chains) = try modelAtoms(path)
        return chains.map { structure(of: $0, atoms, path: path) }.filter { !$0.residues.isEmpty }
    }

    /// The atoms of the chosen model (`model`, else the first) and its chain ids in file order.
    func modelAtoms(_ path: String) throws -> (atoms: [AtomRecord], chains: [String]) {
        let reader = try CompressedReader(path: path)
        try reader.requireText("structure (PDB or mmCIF)")
        var lines: [String] = []
        while let l = try reader.readLine() { lines.append(l) }
        let isCIF = path.lowercased().contains(".cif") || lines.contains { $0.hasPrefix("data_") || $0.hasPrefix("_atom_site.") }
        let atoms = isCIF ? try parseCIF(lines, path: path) : try parsePDB(lines, path: path)
        guard !atoms.isEmpty else { throw FileIOError(path: path, "no ATOM records found") }
        let chosenModel = model ?? atoms[0].model
        let inModel = atoms.filter { $0.model == chosenModel }
        guard !inModel.isEmpty else { throw FileIOError(path: path, "no model \(chosenModel) (models: \(Set(atoms.map(\.model)).sorted()))") }
        return (inModel, inModel.map(\.chain).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
    }

    /// The residues of `chosenChain`: its polymer atoms (and modified residues), the first alt-loc of each atom.
    func structure(of chosenChain: String, _ inModel: [AtomRecord], path: String) -> Structure {
        var residues: [Structure.Residue] = []
        var firstAltLoc: [String: Character] = [:]     // residue key + atom → the alt-loc kept
        var residueIndex: [String: Int] = [:]
        for a in inModel where a.chain == chosenChain && (!a.hetero || Structure.modifiedResidues.contains(a.residue)) {
            let key = "\(a.number)\(a.insertion.map(String.init) ?? "")"
            if let alt = a.altLoc {
                if let kept = firstAltLoc[key + a.atom], kept != alt { continue }
                firstAltLoc[key + a.atom] = alt
            }
            let name = a.residue == "MSE" ? "MET" : a.residue
            if let k = residueIndex[key] {
                if residues[k].atoms[a.atom] == nil { residues[k].atoms[a.atom] = a.position }
            } else {
                residueIndex[key] = residues.count
                residues.append(Structure.Residue(name: name, number: a.number, insertionCode: a.insertion, atoms: [a.atom: a.position]))
            }
        }
        return Structure(source: path, chain: chosenChain, residues: residues)
    }

    func parsePDB(_ lines: [String], path: String) throws -> [AtomRecord] {
        var out: [AtomRecord] = []
        var model = 1
        var sawModel = false
        for (k, line) in lines.enumerated() {
            if line.hasPrefix("MODEL") {
                let fields = line.split(separator: " ")
                model = fields.count > 1 ? Int(fields[1]) ?? model : model
                sawModel = true
                continue
            }
            if line.hasPrefix("ENDMDL") && !sawModel { continue }
            guard line.hasPrefix("ATOM  ") || line.hasPrefix("HETATM") else { continue }
            let c = Array(line.utf8)
            func field(_ a: Int, _ b: Int) -> String {   // 1-based inclusive PDB columns
                guard a - 1 < c.count else { return "" }
                return String(decoding: c[(a - 1)..<Swift.min(b, c.count)], as: UTF8.self).filter { $0 != " " }
            }
            guard c.count >= 54, let x = Double(field(31, 38)), let y = Double(field(39, 46)), let z = Double(field(47, 54)),
                  let number = Int(field(23, 26)) else {
                throw FileIOError(path: path, line: k + 1, "malformed \(line.prefix(6).trimmingWhitespace()) record (coordinates or residue number unreadable)")
            }
            let alt = field(17, 17), ins = field(27, 27), element = field(77, 78)
            if element == "H" || element == "D" { continue }
            out.append(AtomRecord(atom: field(13, 16), altLoc: alt.first, residue: field(18, 20), chain: field(22, 22),
                                  number: number, insertion: ins.first, position: SIMD3(x, y, z), model: model,
                                  hetero: line.hasPrefix("HETATM")))
        }
        return out
    }

    /// mmCIF `_atom_site` loop (author numbering and chain ids, as PDB files use).
    func parseCIF(_ lines: [String], path: String) throws -> [AtomRecord] {
        var out: [AtomRecord] = []
        var k = 0
        while k < lines.count {
            guard lines[k].hasPrefix("loop_") else { k += 1; continue }
            var columns: [String] = []
            var j = k + 1
            while j < lines.count, lines[j].hasPrefix("_") {
                columns.append(String(lines[j].split(separator: " ").first ?? ""))
                j += 1
            }
            guard columns.first?.hasPrefix("_atom_site.") == true else { k = j; continue }
            func index(_ name: String) -> Int? { columns.firstIndex(of: "_atom_site." + name) }
            guard let iGroup = index("group_PDB"), let iAtom = index("auth_atom_id") ?? index("label_atom_id"),
                  let iRes = index("auth_comp_id") ?? index("label_comp_id"), let iChain = index("auth_asym_id") ?? index("label_asym_id"),
                  let iNum = index("auth_seq_id") ?? index("label_seq_id"),
                  let iX = index("Cartn_x"), let iY = index("Cartn_y"), let iZ = index("Cartn_z") else {
                throw FileIOError(path: path, line: k + 1, "_atom_site loop lacks required columns")
            }
            let iAlt = index("label_alt_id"), iIns = index("pdbx_PDB_ins_code"), iModel = index("pdbx_PDB_model_num"), iElement = index("type_symbol")
            let iLabelChain = index("label_asym_id")
            while j < lines.count, !lines[j].hasPrefix("#"), !lines[j].hasPrefix("loop_"), !lines[j].hasPrefix("_") {
                let t = StructureReader.cifTokens(lines[j])
                defer { j += 1 }
                if t.isEmpty { continue }
                guard t.count == columns.count else {
                    throw FileIOError(path: path, line: j + 1, "_atom_site row has \(t.count) fields, expected \(columns.count)")
                }
                guard let x = Double(t[iX]), let y = Double(t[iY]), let z = Double(t[iZ]), let num = Int(t[iNum]) else {
                    throw FileIOError(path: path, line: j + 1, "unreadable coordinates or residue number")
                }
                func opt(_ i: Int?) -> Character? { i.flatMap { t[$0] == "." || t[$0] == "?" ? nil : t[$0].first } }
                if let e = iElement, t[e] == "H" || t[e] == "D" { continue }
                out.append(AtomRecord(atom: t[iAtom].replacingQuotes, altLoc: opt(iAlt), residue: t[iRes], chain: t[iChain],
                                      number: num, insertion: opt(iIns), position: SIMD3(x, y, z),
                                      model: iModel.flatMap { Int(t[$0]) } ?? 1, hetero: t[iGroup] == "HETATM",
                                      labelChain: iLabelChain.map { t[$0] }))
            }
            k = j
        }
        return out
    }

    /// Whitespace-separated tokens with '…' / "…" quoting.
    static func cifTokens(_ line: String) -> [String] {
        var tokens: [String] = []
        var chars = Array(line)[...]
        while let first = chars.first {
            if first == " " || first == "\t" { chars = chars.dropFirst(); continue }
            if first == "'" || first == "\"" {
                let body = chars.dropFirst()
                let end = body.indices.first { body[$0] == first && ($0 + 1 == body.endIndex || body[$0 + 1] == " ") } ?? body.endIndex
                tokens.append(String(body[..<end]))
                chars = end < body.endIndex ? body[(end + 1)...] : []
            } else {
                let end = chars.firstIndex { $0 == " " || $0 == "\t" } ?? chars.endIndex
                tokens.append(String(chars[..<end]))
                chars = chars[end...]
            }
        }
        return tokens
    }
}

extension String {
    var replacingQuotes: String { filter { $0 != "\"" && $0 != "'" } }
}
