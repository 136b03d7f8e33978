import Console
import FileIO
import Pipelines

extension Seqgen.Fit {
    /// `fit --model lm`: unaligned sequences (any alignment's gaps removed, insert residues kept)
    /// → a masked language model (`LanguageModelPipeline`).
    func fitLanguageModel(_ outputs: OutputSet, output: String) throws {
        let clock = Stopwatch()
        let fitted = try LanguageModelPipeline.run(path: alignment, focus: input.focus, settings: settings, checkpoints: checkpoints,
                                                   quiet: runtime.quiet, clock: clock)
        try outputs.write {
            try fitted.archive.write(to: output, overwrite: force)
            if let curve {
                var chart = fitted.curve()
                figure.apply(&chart)
                try figure.write(chart.render(), to: curve, overwrite: force)
            }
        }
        wrote(output, "(\(fixed(clock.seconds, 2)) s)")
        if let curve { wrote(curve) }
        checkpoints.removeSpent()
    }
}
