extension Seqgen.Score {
    /// The output's column for the table's measured score: its own name (e.g. DMS_score), unless
    /// that would repeat one of the output's columns (`mutant`, `score` = the prediction), then
    /// `measured_NAME`, so every column name is unique.
    var measuredColumn: String {
        ["mutant", "score"].contains(scoreColumn.lowercased()) ? "measured_" + scoreColumn : scoreColumn
    }
}
