import Testing
import Foundation
import Mutations
import Scoring

@Suite struct ClinicalLabelEvaluationTests {
    static func labelled(_ rows: [(String, String)]) -> MutationTable {
        MutationTable(source: "clinvar.csv", rows: rows.enumerated().map {
            MutationTable.Row(variant: Variant($1.0[...])!, score: nil, line: $0 + 2, label: $1.1)
        })
    }

    /// Benign predictions 0.9, 0.5, 0.3 against pathogenic 0.5, 0.1: of the 3 × 2 pairs the benign
    /// variant scores higher in 4 and ties in 1 (0.5 = 0.5, counting ½), so AUROC = 4.5 / 6 = 0.75.
    @Test func aurocIsTheBenignOverPathogenicPairFractionWithTiesAsHalf() throws {
        let p = MutationEvaluationTests.table("p.csv", [("A1C", 0.9), ("D2E", 0.5), ("F3G", 0.3), ("H4I", 0.5), ("K5L", 0.1), ("M6N", 7)])
        let t = Self.labelled([("A1C", "Benign"), ("D2E", "likely_benign"), ("F3G", "Likely benign"), ("H4I", "Pathogenic"),
                               ("K5L", "likely pathogenic"), ("M6N", "VUS"), ("P7Q", "Pathogenic")])
        let e = try ClinicalLabelEvaluation(predictions: p, labels: t, labelColumn: "DMS_bin_score")
        #expect(e.benign == 3 && e.pathogenic == 2 && e.labelled == 6)
        #expect(abs(e.coverage - 5.0 / 6.0) < 1e-12)
        #expect(abs(try #require(e.auroc) - 0.75) < 1e-12)
    }

    @Test func noLabelledVariantIsAnErrorNamingTheColumn() {
        let p = MutationEvaluationTests.table("p.csv", [("A1C", 0.9)])
        let message = MutationEvaluationTests.message { _ = try ClinicalLabelEvaluation(predictions: p, labels: Self.labelled([("A1C", "VUS")]), labelColumn: "clinvar") }
        #expect(message.contains("clinvar.csv: no row of column 'clinvar' says benign or pathogenic"), "\(message)")
    }

    /// EVE's label files code ClinVar as numbers (0.0 benign, 1.0 pathogenic): named by value, 0 matches
    /// 0.0; without the values, the error says the labels are numbers and how to name them.
    @Test func numericLabelsAreReadByTheirNamedValues() throws {
        let p = MutationEvaluationTests.table("p.csv", [("A1C", 0.9), ("D2E", 0.2), ("F3G", 0.1)])
        let t = Self.labelled([("A1C", "0.0"), ("D2E", "1.0"), ("F3G", "1"), ("H4I", "0.5")])
        let e = try ClinicalLabelEvaluation(predictions: p, labels: t, labelColumn: "ClinVar_labels", values: .init(benign: "0", pathogenic: "1"))
        #expect(e.benign == 1 && e.pathogenic == 2 && e.labelled == 3)
        #expect(try #require(e.auroc) == 1)
        let flipped = try ClinicalLabelEvaluation(predictions: p, labels: t, labelColumn: "ClinVar_labels", values: .init(benign: "1", pathogenic: "0"))
        #expect(try #require(flipped.auroc) == 0)
        let message = MutationEvaluationTests.message { _ = try ClinicalLabelEvaluation(predictions: p, labels: t, labelColumn: "ClinVar_labels") }
        #expect(message.contains("its labels are numbers") && message.contains("--label-values 0,1"), "\(message)")
        let none = MutationEvaluationTests.message {
            _ = try ClinicalLabelEvaluation(predictions: p, labels: t, labelColumn: "ClinVar_labels", values: .init(benign: "B", pathogenic: "P"))
        }
        #expect(none.contains("no row of column 'ClinVar_labels' is 'B' (benign) or 'P' (pathogenic)"), "\(none)")
    }

    @Test func labelColumnIsReadFromTheTableAndMustExist() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "mutant,DMS_bin_score\nA1C,Benign\nD2E,Pathogenic\n".write(toFile: path, atomically: false, encoding: .utf8)
        let t = try MutationTable.read(path, scoreColumn: nil, labelColumn: "DMS_bin_score")
        #expect(t.rows.map(\.label) == ["Benign", "Pathogenic"])
        let message = MutationEvaluationTests.message { _ = try MutationTable.read(path, scoreColumn: nil, labelColumn: "clinical") }
        #expect(message.contains(":1: no 'clinical' label column"), "\(message)")
    }
}
