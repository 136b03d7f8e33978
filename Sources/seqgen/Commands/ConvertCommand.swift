import Console
import ArgumentParser
import Pipelines
import Potts
import ModelFormats

/// Model file formats `seqgen convert` reads and writes.
enum ModelFileFormat: String, ExpressibleByArgument, CaseIterable {
    case npz, plmc, ccmpred
    case ccmpredMsgpack = "ccmpred-msgpack"
    case gremlin

    /// From the extension: .npz; plmc's .params / .model_params / .plmc; CCMpred's .raw (text) and
    /// .braw / .msgpack (MessagePack); GREMLIN's .mrf.
    init?(path: String) {
        let name = path.lowercased()
        if name.hasSuffix(".npz") { self = .npz }
        else if name.hasSuffix(".params") || name.hasSuffix(".model_params") || name.hasSuffix(".plmc") { self = .plmc }
        else if name.hasSuffix(".raw") { self = .ccmpred }
        else if name.hasSuffix(".braw") || name.hasSuffix(".msgpack") { self = .ccmpredMsgpack }
        else if name.hasSuffix(".mrf") { self = .gremlin }
        else { return nil }
    }
}

extension Seqgen {
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert Potts models between seqgen (.npz), plmc (binary parameters), CCMpred (raw text or MessagePack) and GREMLIN (MRF text).",
            discussion: """
            A plmc, CCMpred or GREMLIN model read here works with every seqgen command (score, contacts, compare, \
            sample …); CCMpred and GREMLIN files hold no focus sequence, which score needs: convert them with \
            --alignment. States are permuted between the tools' alphabets (plmc -ACDEFGHIKLMNPQRSTVWY or its -a alphabet, e.g. .ACGU, CCMpred and \
            GREMLIN ARNDCQEGHILKMFPSTWYV-, GREMLIN RNA AUCG-, seqgen ACDEFGHIKLMNPQRSTVWY- and ACGU-); parameters \
            are copied as they are (no gauge change; CCMpred has no gap field, which is dropped). plmc files also hold the alignment's weights and marginals: writing one needs --alignment, \
            the alignment the model was fitted to.
            """
        )

        @Argument(help: "Model file to read.")
        var input: String

        @Option(name: .shortAndLong, help: "Model file to write.")
        var output: String

        @Option(help: "Input format: \(ModelFileFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the extension).")
        var from: ModelFileFormat?

        @Option(help: "Output format (default: from the extension).")
        var to: ModelFileFormat?

        @Option(help: "Alignment the model was fitted to: needed to write plmc files (their weights and marginals); gives a CCMpred model its focus sequence and numbering.")
        var alignment: String?

        @OptionGroup(title: "Reading --alignment") var reading: AlignmentOptions

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        func validate() throws {
            guard from ?? ModelFileFormat(path: input) != nil else { throw ValidationError("cannot tell the format of \(input) from its name: pass --from") }
            guard let target = to ?? ModelFileFormat(path: output) else { throw ValidationError("cannot tell the format of \(output) from its name: pass --to") }
            if target == .plmc && alignment == nil { throw ValidationError("writing a plmc file needs --alignment (its weights and marginals)") }
        }

        func run() throws {
            let outputs = try declareOutputs(force: force, output)
            let msa = try alignment.map { try reading.read($0) }
            var model: ModelArchive
            switch from ?? ModelFileFormat(path: input)! {
            case .npz: model = try ModelArchive.read(input)
            case .plmc: model = try PlmcParameters.read(input)
            case .ccmpred: model = try CCMpredRaw.read(input)
            case .ccmpredMsgpack: model = try CCMpredMsgpack.read(input)
            case .gremlin: model = try GremlinMRF.read(input, columns: msa?.length)   // trailing columns GREMLIN dropped
            }
            if let msa, model.focusSequence.allSatisfy({ $0 == "-" }) {      // CCMpred and GREMLIN files carry no sequence
                guard msa.length == model.length else { throw ValidationError("\(alignment!) has \(msa.length) columns but the model \(model.length)") }
                model.focusName = msa.names[msa.focus]; model.focusSequence = msa.focusSequence; model.residueNumbers = msa.residueNumbers
            }
            let target = to ?? ModelFileFormat(path: output)!
            try outputs.write {
                switch target {
                case .npz: try model.write(to: output, overwrite: force)
                case .plmc: try PlmcParameters.write(model, alignment: msa!, weights: weightsShowingProgress(msa!, identity: model.meta("identity_threshold") ?? 0.8, quiet: verbosity.quiet), to: output, overwrite: force)
                case .ccmpred: try CCMpredRaw.write(model, to: output, overwrite: force)
                case .ccmpredMsgpack: try CCMpredMsgpack.write(model, to: output, overwrite: force)
                case .gremlin: try GremlinMRF.write(model, to: output, overwrite: force)
                }
            }
            wrote(output, "(\(model.modelType), L = \(model.length))")
            if target == .npz && model.focusSequence.allSatisfy({ $0 == "-" }) {
                log("note: \(input) carries no sequence, so \(output) has no focus sequence: contacts and sampling work; score needs one (convert again with --alignment, the alignment the model was fitted to)")
            }
        }
    }
}
