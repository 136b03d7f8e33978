import FileIO
import Tensors

/// A TF-binding dataset from peak files and a genome, the recipe of Basset and DeepSEA: one
/// window of `length` bases centred on each peak's summit (its midpoint without one), one task per
/// BED file; a window's label for task t is 1 when its centre lies in a peak of task t, so a
/// window is positive for every factor bound there. Windows at the same place are one window.
///
/// Negatives (0 for every task):
/// - `shuffle`: a dinucleotide-shuffled copy of each positive window (its composition exactly;
///   the background of the Koo lab's analyses and tangermeme);
/// - `flank`: the windows `flankDistance` bases either side of each peak's centre that overlap no
///   peak of any task nor an excluded region (local genomic background);
/// - `gc`: for each positive window, a window of the same chromosome with the same GC content (to
///   2%) that overlaps no peak and holds no N, drawn from the chromosome's tiles (consecutive
///   windows) by `seed` — the GC-matched background of gkmSVM and ChromBPNet, so a model cannot
///   tell bound from unbound by composition;
/// - `none`: the peaks of several BED files alone (multi-task, as Basset).
/// Windows running off a chromosome or holding N (or another ambiguity code) are dropped and counted.
///
/// Splits: whole chromosomes held out (`validChromosomes`, `testChromosomes`: no window of a test
/// chromosome is ever trained on), else the peaks shuffled by `seed` and split 70 / 10 / 20 % (at
/// least one peak for validation and one for test); a
/// negative always goes to its peak's split, so no split holds a shuffle or flank of another's peak.
public struct PeakDataset: Sendable {
    public enum Negatives: String, CaseIterable, Sendable { case shuffle, flank, gc, none }

    public var length = 200
    public var negatives = Negatives.shuffle
    /// `flank`: distance of the negative windows' centres from the peak's centre (default 3 × length).
    public var flankDistance: Int?
    public var validChromosomes: [String] = []
    public var testChromosomes: [String] = []
    public var seed: UInt64 = 0
    /// Regions no window may overlap (ENCODE's blacklist: artefact-prone repeats, centromeres):
    /// peaks there are dropped and counted, and no negative is drawn there.
    public var excluded: [GenomicInterval] = []

    public init() {}

    /// Task names from the BED files' names, their extensions (.bed, .narrowPeak, .gz, …) removed.
    public static func taskName(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for ext in [".gz", ".bed", ".narrowPeak", ".broadPeak", ".txt"] where name.hasSuffix(ext) && name.count > ext.count { name.removeLast(ext.count) }
        return name
    }

    /// `progress(done, total)`: chromosomes of the genome read so far, of those holding windows.
    public func build(beds: [String], genome: String, progress: ((Int, Int) -> Void)? = nil) throws -> DNASplits {
        guard length >= 2 else { throw FileIOError(path: genome, "window length must be at least 2, got \(length)") }
        if negatives == .none && beds.count < 2 {
            throw FileIOError(path: beds.first ?? genome, "--negatives none needs two or more BED files: with one, every window is positive")
        }
        let peaks = try beds.map(BEDFile.read)
        var names = beds.map(Self.taskName)
        for k in names.indices where names[..<k].contains(names[k]) { names[k] += "_\(k + 1)" }
        let index = peaks.map(PeakIndex.init)
        let any = PeakIndex(peaks.flatMap { $0 } + excluded), blacklist = PeakIndex(excluded)
        let half = length / 2

        // Positive windows: one per distinct (chromosome, centre), in file order.
        var windows: [(chromosome: String, start: Int)] = [], labels: [[Float]] = [], group: [Int] = []
        var seen = Set<String>()
        var merged = 0, blacklisted = 0
        for task in peaks {
            for p in task {
                if blacklist.overlaps(p.chromosome, p.centre - half, p.centre - half + length) { blacklisted += 1; continue }
                guard seen.insert("\(p.chromosome):\(p.centre)").inserted else { merged += 1; continue }
                windows.append((p.chromosome, p.centre - half))
                labels.append(index.map { $0.contains(p.chromosome, p.centre) ? 1 : 0 })
                group.append(group.count)
            }
        }
        let positives = windows.count
        if negatives == .flank {
            let d = flankDistance ?? 3 * length
            for k in 0..<positives {
                for side in [-1, 1] {
                    let start = windows[k].start + side * d
                    guard !any.overlaps(windows[k].chromosome, start, start + length),
                          seen.insert("\(windows[k].chromosome):\(start + half)").inserted else { continue }
                    windows.append((windows[k].chromosome, start)); labels.append(Array(repeating: 0, count: beds.count)); group.append(k)
                }
            }
        }
        // gc: matched windows drawn chromosome by chromosome while the genome is read.
        var matched: [(bases: [UInt8], owner: Int, chromosome: String)] = [], unmatched = 0
        var rng = RandomGenerator(seed: seed)
        let onChromosome: ((String, [UInt8]) -> Void)? = negatives != .gc ? nil : { name, bases in
            let here = (0..<positives).filter { windows[$0].chromosome == name }
            let (found, missing) = gcMatched(here.map { windows[$0].start }, on: name, bases, avoiding: any, using: &rng)
            for (k, b) in zip(here, found) { if let b { matched.append((b, group[k], name)) } }
            unmatched += missing
        }
        let sequences = try GenomeWindows.extract(genome, windows: windows, length: length, progress: progress, visit: onChromosome)
        var kept: [Int] = [], offEnd = 0, ambiguous = 0
        for (k, s) in sequences.enumerated() {
            guard let s else { offEnd += 1; continue }
            if s.contains(where: { OneHot.channel($0) == nil }) { ambiguous += 1; continue }
            kept.append(k)
        }
        var bases = kept.map { sequences[$0]! }, y = kept.map { labels[$0] }, owner = kept.map { group[$0] }
        var chromosome = kept.map { windows[$0].chromosome }
        for m in matched {
            bases.append(m.bases); y.append(Array(repeating: 0, count: beds.count)); owner.append(m.owner); chromosome.append(m.chromosome)
        }
        if negatives == .shuffle {
            for k in kept.indices where kept[k] < positives {
                let shuffled = DinucleotideShuffle.shuffle(bases[k].map { OneHot.channel($0)! }, using: &rng)
                bases.append(shuffled.map { OneHot.bases[$0].asciiValue! })
                y.append(Array(repeating: 0, count: beds.count)); owner.append(owner[k]); chromosome.append(chromosome[k])
            }
        }
        let part = try assignSplits(owner: owner, chromosome: chromosome, groups: positives, genome: genome)
        let all = DNADataset(x: OneHot.encode(bytes: bases), y: Tensor(shape: [bases.count, beds.count], scalars: y.flatMap { $0 }))
        var data = DNASplits(train: all.subset(part[0]), valid: all.subset(part[1]), test: all.subset(part[2]), taskNames: names)
        if blacklisted > 0 { data.warnings.append("\(blacklisted) peak window(s) overlap an excluded region and are dropped") }
        if merged > 0 { data.warnings.append("\(merged) peak(s) centred where another file's (or the same file's) peak already is: one window each") }
        if offEnd > 0 { data.warnings.append("\(offEnd) window(s) run off a chromosome's end and are dropped") }
        if unmatched > 0 { data.warnings.append("\(unmatched) positive window(s) found no unused GC-matched window on their chromosome (within 10% GC): fewer negatives than positives") }
        if ambiguous > 0 { data.warnings.append("\(ambiguous) window(s) hold N or another ambiguity code (assembly gaps) and are dropped") }
        return data
    }

    /// For each window start (a positive on `chromosome`), a window of the same GC content drawn
    /// from the chromosome's tiles [k·length, (k + 1)·length) that overlap no peak and hold only
    /// A, C, G, T: 50 GC bins of 2%; an empty bin borrows from the nearest within 5 bins. nil where
    /// the positive itself is off the end or holds N (it is dropped), or nothing matches (counted).
    func gcMatched(_ starts: [Int], on chromosome: String, _ bases: [UInt8], avoiding peaks: PeakIndex,
                   using rng: inout RandomGenerator) -> (windows: [[UInt8]?], unmatched: Int) {
        let bins = 50
        func gcBin(_ s: Int) -> Int? {              // nil when the window holds a letter other than A, C, G, T
            var gc = 0
            for c in bases[s..<(s + length)] {
                switch OneHot.channel(c) { case 1, 2: gc += 1; case 0, 3: break; default: return nil }
            }
            return Swift.min(bins - 1, gc * bins / length)
        }
        var pool = [[Int]](repeating: [], count: bins)
        var s = 0
        while s + length <= bases.count {
            if !peaks.overlaps(chromosome, s, s + length), let b = gcBin(s) { pool[b].append(s) }
            s += length
        }
        var out: [[UInt8]?] = [], unmatched = 0
        for start in starts {
            guard start >= 0, start + length <= bases.count, let b = gcBin(start) else { out.append(nil); continue }
            guard let bin = (0...5).lazy.flatMap({ d in [b - d, b + d] }).first(where: { $0 >= 0 && $0 < bins && !pool[$0].isEmpty }) else {
                out.append(nil); unmatched += 1; continue
            }
            let k = rng.int(below: pool[bin].count)
            let t = pool[bin][k]
            pool[bin].swapAt(k, pool[bin].count - 1); pool[bin].removeLast()
            out.append(GenomeWindows.window(bases, at: t, length: length))
        }
        return (out, unmatched)
    }

    /// Indices of the train, valid and test windows: by chromosome when any is named, else by the
    /// peak each window belongs to (`owner`), the peaks shuffled by `seed`.
    func assignSplits(owner: [Int], chromosome: [String], groups: Int, genome: String) throws -> [[Int]] {
        var part: [[Int]] = [[], [], []]
        if !validChromosomes.isEmpty || !testChromosomes.isEmpty {
            if let both = Set(validChromosomes).intersection(testChromosomes).sorted().first {
                throw FileIOError(path: genome, "chromosome '\(both)' is named for both the validation and the test split")
            }
            for (k, c) in chromosome.enumerated() { part[testChromosomes.contains(c) ? 2 : validChromosomes.contains(c) ? 1 : 0].append(k) }
        } else {
            var rng = RandomGenerator(seed: seed)
            let order = rng.permutation(groups)
            var split = [Int](repeating: 0, count: groups)
            // At least one peak each for validation and test once there are three.
            let least = groups >= 3 ? 1 : 0
            let nValid = Swift.max(least, Int((Double(groups) * 0.1).rounded())), nTest = Swift.max(least, Int((Double(groups) * 0.2).rounded()))
            for (rank, g) in order.enumerated() { split[g] = rank < nValid ? 1 : rank < nValid + nTest ? 2 : 0 }
            for (k, g) in owner.enumerated() { part[split[g]].append(k) }
        }
        for (name, p) in zip(DNASplits.splitNames, part) where p.isEmpty {
            let how = validChromosomes.isEmpty && testChromosomes.isEmpty ? "\(groups) peak window(s) in all"
                : "held-out chromosomes: valid \(validChromosomes.joined(separator: ",")), test \(testChromosomes.joined(separator: ","))"
            throw FileIOError(path: genome, "the \(name) split is empty (\(how))")
        }
        return part
    }
}

/// Point and overlap queries on a set of intervals: per chromosome, sorted by start, with the
/// running maximum of the ends, so "does any interval cover p / overlap [s, e)?" is one binary search.
struct PeakIndex {
    var starts: [String: [Int]] = [:], maxEnds: [String: [Int]] = [:]

    init(_ intervals: [GenomicInterval]) {
        for (c, list) in Dictionary(grouping: intervals, by: \.chromosome) {
            let sorted = list.sorted { $0.start < $1.start }
            starts[c] = sorted.map(\.start)
            var running = Int.min
            maxEnds[c] = sorted.map { running = Swift.max(running, $0.end); return running }
        }
    }

    /// Some interval has start < e and end > s.
    func overlaps(_ chromosome: String, _ s: Int, _ e: Int) -> Bool {
        guard let st = starts[chromosome], let me = maxEnds[chromosome] else { return false }
        var (lo, hi) = (0, st.count)                 // first index with start >= e
        while lo < hi { let mid = (lo + hi) / 2; if st[mid] < e { lo = mid + 1 } else { hi = mid } }
        return lo > 0 && me[lo - 1] > s
    }

    func contains(_ chromosome: String, _ p: Int) -> Bool { overlaps(chromosome, p, p + 1) }
}
