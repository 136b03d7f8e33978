import Console
import DNAData
import FileIO
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Effects of genome variants on a CNN's predictions (DeepSEA's variant scores): the model's
/// window of L bases from p − ⌊L/2⌋, p the variant's 0-based first base, with the reference allele
/// and with the alternative; per task the two probabilities and the log-odds change logit(alt) −
/// logit(ref) (a regression CNN: the two predicted values and their difference). An insertion or
/// deletion keeps the window's left end: the alternative sequence is the genome with REF replaced
/// by ALT, cut to L bases (a deletion pulls in the bases after the window, an insertion pushes the
/// last ones out). A window that runs off its chromosome reads N (0.25 in every channel) there.
public struct VariantEffects {
    public let variants: [GenomeVariant]
    /// How many variants lie near enough to a chromosome end that their windows were padded with N.
    public let paddedWindows: Int
    public let taskNames: [String]
    public let objective: Objective
    /// (N, T) outputs (logits, or a regression's values) with the reference and with the alternative allele.
    public let reference: Tensor, alternative: Tensor

    /// Cuts the windows from `genome` (one pass) and predicts both alleles. The genome's bases must
    /// match each REF (else an error naming the VCF line: another assembly?); a REF that runs past
    /// its chromosome's end is an error naming the line and the chromosome's length. Memory holds
    /// the windows' bases and one batch's one-hot rows (a VCF of millions of variants at L = 1,000
    /// would need 16 GB per allele encoded at once); `predicted(done, 2N)` after each batch.
    public init(model: CNNModel, genome: String, variants: [GenomeVariant], source: String, batchSize: Int = 500,
                progress: ((Int, Int) -> Void)? = nil, predicted: ((Int, Int) -> Void)? = nil) throws {
        let l = model.length, half = l / 2
        // A deletion's window reaches |REF| − |ALT| bases past L, for the bases it pulls in; a REF
        // longer than the window's right half reaches as far as its own end.
        let lengths = variants.map { max(l + max(0, $0.reference.utf8.count - $0.alternative.utf8.count), half + $0.reference.utf8.count) }
        var chromosomeLength: [String: Int] = [:]
        let cut = try GenomeWindows.extract(genome, windows: variants.map { ($0.chromosome, $0.position - 1 - half) }, lengths: lengths,
                                            paddedWithN: true, source: source, progress: progress) { name, bases in chromosomeLength[name] = bases.count }
        var padded = 0
        for ((v, window), length) in zip(zip(variants, cut), lengths) {
            let n = chromosomeLength[v.chromosome] ?? 0, start = v.position - 1 - half
            guard v.position - 1 + v.reference.utf8.count <= n else {
                throw FileIOError(path: source, line: v.line, "REF '\(v.reference)' at \(v.chromosome):\(v.position) runs past the end of chromosome \(v.chromosome) (\(n) bp in \(genome)): do the VCF and the genome share an assembly?")
            }
            if start < 0 || start + length > n { padded += 1 }
            let found = String(decoding: window![half..<(half + v.reference.utf8.count)], as: UTF8.self)
            guard found == v.reference else {
                throw FileIOError(path: source, line: v.line, "REF '\(v.reference)' but the genome has '\(found)' at \(v.chromosome):\(v.position): do the VCF and the genome share an assembly?")
            }
        }
        let windows = cut.map { $0! }, inference = model.network.foldedForInference()
        let count = variants.count, tasks = model.tasks, size = Swift.max(batchSize, 1)
        var done = 0
        func predict(_ allele: (Int) -> [UInt8]) -> Tensor {
            Tensor(shape: [count, tasks], scalars: Tensor.mapRowRanges(count: count, size: size) { rows in
                defer { done += rows.count; predicted?(done, 2 * count) }
                return model.predict(OneHot.encode(bytes: rows.map(allele)), batchSize: size, inference: inference)
            })
        }
        reference = predict { Array(windows[$0][0..<l]) }
        alternative = predict { k in
            var w = windows[k]
            w.replaceSubrange(half..<(half + variants[k].reference.utf8.count), with: Array(variants[k].alternative.utf8))
            return Array(w[0..<l])
        }
        self.variants = variants; paddedWindows = padded; taskNames = model.taskNames; objective = model.objective
    }

    /// output(alt) − output(ref) of variant `n`, task `t`: logit(alt) − logit(ref) of a classifier.
    public func change(_ n: Int, task t: Int) -> Float {
        alternative.scalars[n * taskNames.count + t] - reference.scalars[n * taskNames.count + t]
    }

    /// `chrom,pos,id,ref,alt`, then per task `TASK_ref`, `TASK_alt` (probabilities) and
    /// `TASK_log_odds` (logit(alt) − logit(ref)), one row per variant in the file's order; of a
    /// regression `TASK_ref`, `TASK_alt` (predicted values) and `TASK_change` (alt − ref).
    public var csv: String {
        let t = taskNames.count, regression = objective == .regression
        func p(_ output: Float) -> String { fixed(Double(regression ? output : 1 / (1 + expf(-output))), 6) }
        var text = (["chrom", "pos", "id", "ref", "alt"] + taskNames.flatMap { ["\($0)_ref", "\($0)_alt", "\($0)_\(regression ? "change" : "log_odds")"] })
            .map { $0.csvField() }.joined(separator: ",") + "\n"
        for (n, v) in variants.enumerated() {
            var fields = [v.chromosome.csvField(), String(v.position), v.id.csvField(), v.reference, v.alternative]
            for k in 0..<t {
                fields += [p(reference.scalars[n * t + k]), p(alternative.scalars[n * t + k]), fixed(Double(change(n, task: k)), 6)]
            }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}
