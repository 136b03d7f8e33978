import DNAData

extension CNNTrainer {
    /// EvoAug's second stage (Lee et al. 2023): after training with augmentations, train the
    /// (best) model for `epochs` more epochs on the clean data only, at `learningRateFactor` × the
    /// learning rate (EvoAug: 1e-4 after 1e-3, i.e. 0.1), with a fresh Adam and early stopping on
    /// the same validation score; the best fine-tuning epoch's weights are kept. Its epochs are
    /// numbered after `after` (the last epoch of the first stage).
    public func fineTune(_ model: CNNModel, on data: DNASplits, epochs: Int, learningRateFactor: Float = 0.1, after: Int,
                         batchProgress: ((Int, Int) -> Void)? = nil, progress: ((Epoch) -> Bool)? = nil) -> [Epoch] {
        var clean = self
        clean.perturbations = []
        clean.epochs = epochs
        clean.learningRate = learningRate * learningRateFactor
        clean.patience = Swift.max(patience, epochs)
        clean.seed = seed &+ 1
        return clean.train(model, on: data, batchProgress: batchProgress, progress: { e in
            var shifted = e
            shifted.epoch += after
            return progress?(shifted) ?? true
        }).map { var e = $0; e.epoch += after; return e }
    }
}
