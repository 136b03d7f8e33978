import Testing
import Mutations
import Scoring

@Suite struct MutationEvaluationTests {
    static func table(_ source: String, _ rows: [(String, Double?)]) -> MutationTable {
        MutationTable(source: source, rows: rows.enumerated().map { MutationTable.Row(variant: Variant($1.0[...])!, score: $1.1, line: $0 + 2) })
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func matchesVariantsInAnySubstitutionOrder() throws {
        let p = Self.table("p.csv", [("A12G", 1), ("A12G:K45R", 2), ("C3D", nil)])
        let m = Self.table("m.csv", [("K45R:A12G", 5), ("A12G", 4), ("C3D", 1), ("W9Y", nil)])
        let e = try MutationEvaluation(predictions: p, measurements: m)
        #expect(e.predicted == [2, 1] && e.measured == [5, 4] && e.substitutions == [2, 1])
        #expect(e.withMeasurement == 3 && e.matched == 2)
        // The default fit/unfit cut-off is the whole scan's median (ProteinGym's, fixed per assay),
        // not the median of the variants this model scored (4.5 here).
        #expect(e.scanMedian == 4)
    }

    /// Whole sequences (ProteinGym's indel layout) pair by their sequence; they have no substitution count.
    @Test func wholeSequencesPairBySequence() throws {
        func table(_ source: String, _ rows: [(String, Double?)]) -> MutationTable {
            MutationTable(source: source, rows: rows.enumerated().map { MutationTable.Row(variant: Variant([]), score: $1.1, line: $0 + 2, sequence: $1.0) })
        }
        let p = table("p.csv", [("MKLV", 1), ("MKV", 2), ("MKKLV", 3)])
        let m = table("m.csv", [("MKKLV", 30), ("MKLV", 10), ("MLV", 5)])
        let e = try MutationEvaluation(predictions: p, measurements: m)
        #expect(e.predicted == [3, 1] && e.measured == [30, 10] && e.substitutions == [0, 0] && e.singlePositions == [nil, nil])
        #expect(e.withMeasurement == 3 && e.matched == 2)
    }

    @Test func aVariantMeasuredTwiceIsOnePointAndOnePredictedTwiceDifferentlyIsAnError() throws {
        let p = Self.table("p.csv", [("A12G", 1), ("K45R", 2), ("A12G", 1)])             // the same score twice: fine
        let m = Self.table("m.csv", [("A12G", 4), ("K45R", 5), ("A12G", 6), ("W9Y", 1)])
        let e = try MutationEvaluation(predictions: p, measurements: m)
        #expect(e.predicted == [1, 2] && e.measured == [5, 5])                            // A12G: (4 + 6) / 2
        #expect(e.matched == 2 && e.matchedRows == 3 && e.withMeasurement == 4 && e.coverage == 0.75)
        let twice = Self.message { _ = try MutationEvaluation(predictions: Self.table("q.csv", [("A12G", 1), ("K45R", 2), ("A12G", 3)]), measurements: m) }
        #expect(twice.contains("q.csv:4: A12G is predicted twice with different scores (line 2: 1.0, here: 3.0)"), "\(twice)")
    }

    @Test func fitLabelsOfRepeatedRowsFollowTheirMajority() throws {
        let p = Self.table("p.csv", [("A12G", 1), ("K45R", 2)])
        let rows = [("A12G", 4.0, false), ("A12G", 5.0, true), ("A12G", 6.0, true), ("K45R", 1.0, true), ("K45R", 2.0, false)]
        let m = MutationTable(source: "m.csv", rows: rows.enumerated().map { MutationTable.Row(variant: Variant($1.0[...])!, score: $1.1, line: $0 + 2, fit: $1.2) },
                              binColumn: "DMS_score_bin")
        let e = try MutationEvaluation(predictions: p, measurements: m)
        #expect(e.fit == [true, true])                                                    // 2 of 3; a tie: the first row's
    }

    @Test func zeroMatchedVariantsIsAnErrorNamingTheTablesAndTheCause() throws {
        let p = Self.table("p.csv", [("A12G", 1), ("K45R", 2), ("C3D", 3), ("E7F", 4)])
        // No measured scores at all (e.g. a score column that did not parse).
        let noScores = Self.message { _ = try MutationEvaluation(predictions: p, measurements: Self.table("m.csv", [("A12G", nil)])) }
        #expect(noScores.contains("m.csv: 0 of 0 measured variants match") && noScores.contains("--score-column"), "\(noScores)")
        // Numbered 100 higher than the predictions: the hint names the offset that fixes it.
        let shifted = Self.table("m.csv", [("A112G", 1), ("K145R", 2), ("C103D", 3), ("E107F", 4)])
        let hint = Self.message { _ = try MutationEvaluation(predictions: p, measurements: shifted) }
        #expect(hint.contains("0 of 4 measured variants match a scored prediction in p.csv") && hint.contains("pass --offset -100"), "\(hint)")
        let fixed = try MutationEvaluation(predictions: p, measurements: shifted, offset: -100)
        #expect(fixed.matched == 4)
        // Numbered 100 higher but for one that matches by chance: evaluated, with the offset suggested.
        let partly = Self.table("m.csv", [("A112G", 1), ("K145R", 2), ("C103D", 3), ("E7F", 4)])
        let few = try MutationEvaluation(predictions: p, measurements: partly)
        #expect(few.matched == 1 && few.suggestedOffset == -100)
        #expect(try MutationEvaluation(predictions: p, measurements: shifted, offset: -100).suggestedOffset == nil)
        #expect(try MutationEvaluation(predictions: p, measurements: p).suggestedOffset == nil)
        // Unrelated mutants: a generic hint, still an error.
        let other = Self.message { _ = try MutationEvaluation(predictions: p, measurements: Self.table("m.csv", [("W1Y", 1)])) }
        #expect(other.contains("0 of 1 measured variants match"), "\(other)")
    }
}
