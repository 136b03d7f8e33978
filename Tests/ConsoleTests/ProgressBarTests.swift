import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Console

/// Collects what a bar writes.
final class Written: @unchecked Sendable {
    var text: [String] = []
}

@Test func withoutATerminalTheBarWritesPlainLinesAndNothingAtTheEnd() {
    let out = Written()
    let bar = ProgressBar("fit", total: 4, quiet: false, terminal: false, logInterval: 0) { out.text.append($0) }
    bar.update(1, status: "loss 2.5")
    bar.update(2)
    bar.update(4)              // the last step: the command prints its own summary
    bar.finish()
    #expect(out.text.count == 2)
    #expect(out.text[0].hasPrefix("fit 25% 1/4 ") && out.text[0].hasSuffix(" loss 2.5\n"))
    #expect(out.text[1].hasPrefix("fit 50% 2/4 "))
    #expect(!out.text.joined().contains("\r") && !out.text.joined().contains("\u{1B}") && !out.text.joined().contains("#"))
}

@Test func withoutATerminalLinesWaitForTheInterval() {
    let out = Written()
    let bar = ProgressBar("fit", total: 100, quiet: false, terminal: false, logInterval: 3600) { out.text.append($0) }
    for k in 1...99 { bar.update(k) }
    bar.finish()
    #expect(out.text.isEmpty)
}

@Test func onATerminalTheBarRedrawsItsLineAndEndsIt() {
    let out = Written()
    let bar = ProgressBar("fit", total: 2, quiet: false, terminal: true, logInterval: 0) { out.text.append($0) }
    bar.update(2)
    bar.finish()
    #expect(out.text.first?.hasPrefix("\r\u{1B}[2Kfit [########################] 100% 2/2 ") == true)
    #expect(out.text.last == "\n")
}

@Test func aQuietBarWritesNothing() {
    let out = Written()
    for terminal in [false, true] {
        let bar = ProgressBar("fit", total: 2, quiet: true, terminal: terminal, logInterval: 0) { out.text.append($0) }
        bar.update(1); bar.clear(); bar.finish()
    }
    #expect(out.text.isEmpty)
}

@Test func aDeferredBarIsMadeAtItsFirstReportAndCountsItsRateFromTheStart() {
    let out = Written()
    var totals: [Int] = []
    let bar = DeferredProgressBar { total, started in
        totals.append(total)
        return ProgressBar("ism2", total: total, quiet: false, terminal: false, logInterval: 0, output: { out.text.append($0) }, startedAt: started)
    }
    usleep(200_000)                    // the work's first 0.2 s, before it knows its total
    bar.report(1, of: 100)
    bar.report(2, of: 100)
    bar.finish()
    #expect(totals == [100])           // made once, at the first report
    #expect(out.text.count == 2 && out.text[0].hasPrefix("ism2 1% 1/100 "))
    // 1 unit in ≥ 0.2 s: at most 5 it/s (counted from the first report it would be thousands).
    let rate = out.text[0].split(separator: " ").firstIndex(of: "it/s").map { Double(out.text[0].split(separator: " ")[$0 - 1])! }
    #expect(rate == nil ? out.text[0].contains(" s/it ") : rate! <= 5)
}
