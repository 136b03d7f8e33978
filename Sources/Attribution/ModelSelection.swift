import DNAData
import RegulatoryCNN
import Statistics
import Tensors

/// Ranks candidate settings (architecture, activation, augmentation, robust training), each given
/// as replicate models trained from different seeds, by what generalises and by what can be
/// believed: held-out AUROC/AUPR (a regression's Pearson r and Spearman ρ; mean over replicates
/// and tasks), attribution consistency across the replicates and map robustness
/// (`AttributionConsistency`), and — on synthetic data, where
/// the truth is known — the saliency interpretability AUROC (`Interpretability`: only the task's
/// own motifs are truth, decoys and other tasks' motifs are background), so the proxy can be
/// checked against the truth. The Pareto front is over (test AUROC or r, low attribution variation;
/// `trustScores`): a candidate is on it when no other is at least as good in both and better in one.
public enum ModelSelection {
    public struct Candidate {
        public var name: String
        public var models: [CNNModel]
        public init(name: String, models: [CNNModel]) { self.name = name; self.models = models }
    }

    public struct Report: Sendable {
        public var name: String
        public var replicates: Int
        /// Mean test AUROC and AUPR of a classifier, Pearson r and Spearman ρ of a regression.
        public var testScore: Double, testSecondScore: Double
        /// Saliency interpretability AUROC against the ground truth of the gradient-corrected maps
        /// the proxies read (nil without ground truth).
        public var interpretability: Double?
        /// The same of the uncorrected gradient × input: the score the robust-training papers report
        /// (Koo et al. 2019's `grad_times_input`) and `cnn interpretability --method saliency` computes.
        public var uncorrectedInterpretability: Double?
        public var consistency: Double?, variation: Double?
        public var robustness: Double
        public var pareto = false
        public init(name: String, replicates: Int, testScore: Double, testSecondScore: Double, interpretability: Double?,
                    uncorrectedInterpretability: Double? = nil, consistency: Double?, variation: Double?, robustness: Double, pareto: Bool = false) {
            self.name = name; self.replicates = replicates; self.testScore = testScore; self.testSecondScore = testSecondScore
            self.interpretability = interpretability; self.uncorrectedInterpretability = uncorrectedInterpretability
            self.consistency = consistency; self.variation = variation
            self.robustness = robustness; self.pareto = pareto
        }
    }

    /// Explained sequences: the first `count` test sequences positive for `task`; for a regression
    /// the `count` with the highest labels.
    public static func explained(_ set: DNADataset, task: Int, count: Int, objective: Objective = .classification) -> [Int] {
        if objective == .regression { return Array(set.byDecreasingLabel(task: task).prefix(count)) }
        return Array((0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] > 0.5 }.prefix(count))
    }

    /// Reports per candidate. With several `tasks` (a multi-task model) the attribution columns are
    /// means over the tasks, each task's maps explaining its own first `sequences` positives.
    public static func evaluate(_ candidates: [Candidate], test set: DNADataset, tasks: [Int], sequences: Int = 200, seed: UInt64 = 0,
                                progress: ((String) -> Void)? = nil) -> [Report] {
        func mean(_ v: [Double?]) -> Double? {
            let known = v.compactMap { $0 }
            return known.count == v.count && !known.isEmpty ? known.reduce(0, +) / Double(known.count) : nil
        }
        var reports = candidates.map { c -> Report in
            progress?(c.name)
            // Held-out scores per replicate: (AUROC, AUPR), or a regression's (r, ρ).
            let scores = c.models.map { m -> (Double, Double) in
                let p = m.predict(set.x)
                if m.objective == .regression {
                    let r = RegressionScores(predictions: p, labels: set.y)
                    return (r.meanPearson, r.meanSpearman)
                }
                let s = ClassificationScores(logits: p, labels: set.y)
                return (s.meanAUROC, s.meanAUPR)
            }
            var interpretability: [Double?] = [], uncorrected: [Double?] = []
            var consistency: [Double?] = [], variation: [Double?] = [], robustness: [Double?] = []
            for task in tasks {
                let chosen = explained(set, task: task, count: sequences, objective: c.models[0].objective)
                let sub = set.subset(chosen)
                let raw = AttributionConsistency.maps(c.models, x: sub.x, task: task, corrected: false)
                let maps = raw.map(Attributor.correctGradient)      // as `AttributionConsistency.maps`, from the gradients at hand
                func truthScore(_ maps: [Tensor]) -> Double? {
                    sub.groundTruth.map { truth in
                        maps.map { Interpretability.score($0, x: sub.x, truth: truth, owner: sub.truthTask, task: task, sequences: Array(0..<chosen.count),
                                                          reduction: .observedBase).auroc }
                            .reduce(0, +) / Double(maps.count)
                    }
                }
                interpretability.append(truthScore(maps))
                uncorrected.append(truthScore(raw))
                consistency.append(AttributionConsistency.consistency(maps, x: sub.x))
                variation.append(AttributionConsistency.variation(maps))
                robustness.append(c.models.map { AttributionConsistency.robustness($0, x: sub.x, task: task, seed: seed) }.reduce(0, +) / Double(c.models.count))
            }
            return Report(name: c.name, replicates: c.models.count,
                          testScore: scores.map(\.0).reduce(0, +) / Double(scores.count),
                          testSecondScore: scores.map(\.1).reduce(0, +) / Double(scores.count),
                          interpretability: mean(interpretability), uncorrectedInterpretability: mean(uncorrected),
                          consistency: mean(consistency), variation: mean(variation),
                          robustness: mean(robustness) ?? .nan)
        }
        let front = paretoFront(Array(zip(reports.map(\.testScore), trustScores(reports))))
        for k in reports.indices { reports[k].pareto = front[k] }
        return reports
    }

    /// The proxy the front and the ranking use (higher = maps to believe): −variation when every
    /// candidate has replicates, else map robustness for all. Low variation is Majdandzic et al.'s
    /// measure; over both synthetic benchmarks it ranked the candidates as the ground truth did
    /// (Spearman 0.61 and 0.86), consistency on neither in the same run (0.59 and 0.14; README).
    public static func trustScores(_ reports: [Report]) -> [Double] {
        byVariation(reports) ? reports.map { -$0.variation! } : reports.map(\.robustness)
    }

    /// Whether `trustScores` compares variation (every candidate has replicates) or robustness.
    public static func byVariation(_ reports: [Report]) -> Bool { reports.allSatisfy { $0.variation != nil } }

    /// Whether each point (a, b), both higher-is-better, is undominated.
    public static func paretoFront(_ points: [(Double, Double)]) -> [Bool] {
        points.map { p in
            !points.contains { q in q.0 >= p.0 && q.1 >= p.1 && (q.0 > p.0 || q.1 > p.1) }
        }
    }

    /// Spearman correlation between a proxy (higher = more trustworthy maps) and the ground-truth
    /// interpretability (`truth`: of the corrected maps, or of the uncorrected ones) over the reports
    /// that have both (nil with fewer than three): how well the proxy, which needs no truth, ranks
    /// the candidates as the truth does.
    public static func agreement(_ reports: [Report], truth: KeyPath<Report, Double?> = \.interpretability,
                                 proxy: (Report) -> Double?) -> Double? {
        let pairs = reports.compactMap { r -> (Double, Double)? in
            guard let c = proxy(r), let i = r[keyPath: truth], c.isFinite, i.isFinite else { return nil }
            return (c, i)
        }
        guard pairs.count >= 3 else { return nil }
        return spearman(pairs.map(\.0), pairs.map(\.1))
    }

    /// The agreement of consistency across replicates with the ground truth.
    public static func consistencyAgreement(_ reports: [Report], truth: KeyPath<Report, Double?> = \.interpretability) -> Double? {
        agreement(reports, truth: truth) { $0.consistency }
    }

    /// The agreement of low attribution variation (−variation) with the ground truth.
    public static func variationAgreement(_ reports: [Report], truth: KeyPath<Report, Double?> = \.interpretability) -> Double? {
        agreement(reports, truth: truth) { $0.variation.map { -$0 } }
    }
}
