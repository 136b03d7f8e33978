import Console
import ArgumentParser
import Potts
import Contacts
import Structures
import Figures
import NumPyIO
import FileIO
import Tensors
import Pipelines

/// The contact-map figure: top `count` pairs with |i − j| ≥ separation above the diagonal.
func contactPlot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, count: Int, separation: Int, title: String, figure: FigureOptions) -> Canvas {
    let pairs = map.rankedPairs(minimumSeparation: separation).prefix(count).map { ContactMapPlot.Pair($0.i, $0.j) }
    var truthLookup: (@Sendable (Int, Int) -> Bool?)? = nil
    if let t = truth { truthLookup = { @Sendable i, j in t.isContact(i, j) } }
    var plot = ContactMapPlot(length: map.length, predicted: Array(pairs), truth: truthLookup,
                              residueNumbers: archive.residueNumbers, title: title)
    figure.apply(&plot)
    return plot.render()
}

/// Which predicted pairs a contact-map figure draws.
struct ContactPlotOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Pairs drawn in the figure (default: L).")
    var plotPairs: Int?

    @Option(parsing: .unconditional, help: "Minimum |i − j| of the pairs drawn in the figure.")
    var plotSeparation = 6

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func plot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, name: String) throws -> Canvas {
        guard plotPairs.map({ $0 >= 1 }) ?? true, plotSeparation >= 1 else { throw ValidationError("--plot-pairs and --plot-separation must be at least 1") }
        let count = plotPairs ?? map.length
        return contactPlot(map, truth: truth, archive: archive, count: count, separation: plotSeparation,
                           title: "\(name): top \(count) pairs, |i−j| ≥ \(plotSeparation)", figure: figure)
    }
}
