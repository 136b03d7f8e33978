#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Console

extension Seqgen {
    /// `seqgen motifs …`: motif files on their own (comparison against a database, scanning, conversion).
    struct Motifs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "motifs",
            abstract: "Motif files: compare motifs with a database (Tomtom's method), scan sequences for them (FIMO's), convert between MEME and JASPAR.",
            subcommands: [Compare.self, Scan.self, Convert.self]
        )
    }
}

/// "1.234e-05" (4 significant digits, as Tomtom and FIMO print).
func scientific(_ v: Double) -> String {
    guard v > 0, v.isFinite else { return v == 0 ? "0" : "\(v)" }
    var exponent = Int((log10(v)).rounded(.down))
    var mantissa = v / pow(10, Double(exponent))
    if (mantissa * 1000).rounded() >= 10000 { mantissa /= 10; exponent += 1 }
    let sign = exponent < 0 ? "-" : "+"
    let digits = String(Swift.abs(exponent))
    return fixed(mantissa, 3) + "e" + sign + (digits.count < 2 ? "0" + digits : digits)
}
