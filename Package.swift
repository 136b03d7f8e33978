// swift-tools-version: 6.0
import PackageDescription
import Foundation

/// Numeric kernels are compiled for x86-64-v3 by default (AVX2 + FMA + BMI2: Intel Haswell and AMD
/// Excavator/Zen and later, 2013 on), so the binary runs on any such machine and under valgrind;
/// swiftc does not accept the name `x86-64-v3`, so it is spelled `-target-cpu haswell`, whose
/// instruction set is x86-64-v3's. arm64 needs no flag. `SEQGEN_NATIVE=1 swift build` compiles for
/// the building machine's CPU instead (`-target-cpu native`: AVX-512 on this project's machine;
/// the README gives the speed difference), and `SEQGEN_PORTABLE=1` for baseline x86-64 (SSE2).
/// The variables are read when the manifest is evaluated: use a separate `--scratch-path` per variant.
let environment = ProcessInfo.processInfo.environment
let cpuFlags: [String]
if environment["SEQGEN_NATIVE"] == "1" {
    cpuFlags = ["-target-cpu", "native"]
} else if environment["SEQGEN_PORTABLE"] != nil {
    cpuFlags = []
} else {
    #if arch(x86_64)
    cpuFlags = ["-target-cpu", "haswell"]
    #else
    cpuFlags = []
    #endif
}
/// `-fno-math-errno`: square roots of SIMD vectors compile to one vector instruction (`vsqrtps`)
/// instead of a scalar `sqrtss` per lane behind a negative-input check for errno, which nothing here
/// reads (the same IEEE results: Adam's update, the Box–Muller transform).
let native: [SwiftSetting] = [.unsafeFlags(cpuFlags + ["-Xcc", "-fno-math-errno"])]

/// The `seqgen` binary links the Swift runtime statically on Linux. Dynamically, resolving symbols
/// across 16 Swift libraries was half of every run's start-up; with it, and libhdf5 opened on first
/// use (Sources/CHDF5), `seqgen --version` takes 7 ms instead of 20 (a Potts fit of a small family
/// pays start-up once per run). No module imports Foundation: only ArgumentParser's
/// FoundationEssentials is linked, and its support libraries are named here because the autolink
/// records of modules compiled for the shared runtime do not list them (a module that imported
/// Foundation would fail this link on ICU's symbols). Test binaries keep the shared runtime.
let staticSwiftRuntime: [LinkerSetting] = [.unsafeFlags(["-static-stdlib", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization"], .when(platforms: [.linux]))]

/// Module map (see README "Architecture"):
///   CBLAS, CZlib, CHDF5, CMalloc, CFreeType  system libraries (OpenBLAS, zlib, libhdf5, glibc mallopt, FreeType)
///   CAtomics            atomic loads/stores and the spin-wait hint (compiler builtins) for Tensors' worker pool
///   Tensors             dense Float tensors, kernels, RNG, worker threads ← CBLAS, CAtomics
///   Autodiff            reverse-mode tape over Tensors, losses     ← Tensors
///   Optimizers          SGD, Adam(W), L-BFGS, clipping, schedules, checkpoints ← Autodiff, NumPyIO
///   Layers              Linear, Conv1D, BatchNorm1d, attention …   ← Autodiff
///   FileIO              atomic writes, output sets (checked, locked, all-or-nothing), gzip-transparent reading ← CZlib, Console
///   NumPyIO             .npy / .npz read + write                   ← Tensors, FileIO
///   Console             progress bar / ETA, SIGINT/SIGTERM stop requests, available memory
///   Sequences           alphabets, MSA readers/writers, filters, weights, clusters ← Tensors, FileIO
///   Structures          PDB/mmCIF, Cβ distances, contact truth, NW mapping ← Sequences, FileIO
///   Mutations           substitutions, variants (A12G, HGVS p.), DMS tables ← Sequences, FileIO
///   Archive             ModelArchive (the .npz model file) and ModelKind (every kind `seqgen fit` writes) ← Sequences, NumPyIO
///   Potts               PSSM, Potts model, fused pseudolikelihood, fit ← Optimizers, Sequences, Archive
///   Contacts            Frobenius norms, APC, ranking, .mat, precision ← Structures
///   Gaussian            multivariate Gaussian (shrunk covariance, LAPACK precision) ← Potts
///   Statistics          ranks, Pearson/Spearman correlation, AUROC/AUPR
///   Scoring             mutation effects (one protocol for all models)   ← Potts, Mutations
///   Attention           factored attention (Potts couplings from attention maps) ← Layers, Potts
///   LanguageModel       small transformer masked LM over raw sequences: fit, marginals, attention contacts ← Layers, Optimizers, Scoring, Contacts, Archive
///   ArDCA               autoregressive DCA: model, fit, λ by held-out clusters, epistatic couplings, Gibbs conditionals ← Optimizers, Potts
///   Generative          Sampler protocol, MCMC mixing check, generative evaluation (Pearson r, PCA) ← ArDCA, Figures
///   Figures             canvas (PNG + SVG), FreeType text, colormaps, charts, logos, domain plots ← CZlib, CFreeType, FileIO
///   Motifs              JASPAR / MEME motif files, comparison, filter ↔ database match tallies ← FileIO, Console
///   DNAData             one-hot DNA datasets (npz, HDF5, FASTA + labels), synthetic benchmarks ← CHDF5, Motifs
///   RegulatoryCNN       CNN architectures, model files, training + checkpoints, AUROC/AUPR ← Layers, DNAData
///   Attribution         saliency, IG, SmoothGrad, ISM, DeepLIFT/SHAP, interpretability ← RegulatoryCNN
///   Saliency            pairwise saliency couplings of any differentiable sequence model, embedding protocol and scatter ← Autodiff, Potts, Figures
///   VAE                 variational autoencoder (DeepSequence/EVE): model, fit, archive, ΔELBO scores, EVE mixture ← Layers, Optimizers, Scoring, Saliency
///   ModelFormats        other tools' model files: plmc parameters, CCMpred raw ← Potts, Sequences
///   Pipelines           the commands' work as library calls: fit any ModelKind (settings, weights, memory, checkpoints,
///                       archive), contact maps, mutation scoring and scans, CNN attribution runs ← every model module
///   FuzzTargets         parser entry points for libFuzzer / corpus replay (seqgen-fuzz)
///   seqgen              the command-line tool (argument parsing only)
let package = Package(
    name: "seqgen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seqgen", targets: ["seqgen"]),
        .library(name: "SeqgenCore", targets: ["Tensors", "Autodiff", "Optimizers", "Layers", "NumPyIO", "FileIO", "Console", "Sequences", "Structures", "Mutations", "Archive", "Potts", "Contacts", "Figures", "Gaussian", "Scoring", "Attention", "ArDCA", "Generative", "Statistics", "ModelFormats", "Motifs", "DNAData", "RegulatoryCNN", "Attribution", "Pipelines", "Saliency", "VAE", "LanguageModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Header only: OpenBLAS is opened at run time on first use (see Sources/CBLAS/shim.h).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Headers only: libhdf5 is opened at run time on first use (see Sources/CHDF5/shim.h).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CAtomics", path: "Sources/CAtomics"),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),
        .target(name: "Tensors", dependencies: ["CBLAS", "CAtomics"], swiftSettings: native),
        .target(name: "Autodiff", dependencies: ["Tensors"], swiftSettings: native),
        .target(name: "Optimizers", dependencies: ["Tensors", "Autodiff", "CBLAS", "FileIO", "NumPyIO", "Console"], swiftSettings: native),
        .target(name: "Layers", dependencies: ["Tensors", "Autodiff"], swiftSettings: native),
        .target(name: "FileIO", dependencies: ["CZlib", "Console"]),
        .target(name: "NumPyIO", dependencies: ["Tensors", "FileIO", "CZlib"]),
        .target(name: "Console"),
        .target(name: "Sequences", dependencies: ["Tensors", "FileIO"], swiftSettings: native),
        .target(name: "Structures", dependencies: ["Sequences", "FileIO"]),
        .target(name: "Mutations", dependencies: ["Sequences", "FileIO"]),
        .target(name: "Archive", dependencies: ["Tensors", "Sequences", "NumPyIO", "FileIO"]),
        .target(name: "Potts", dependencies: ["Tensors", "Autodiff", "Optimizers", "Sequences", "NumPyIO", "FileIO", "Archive"], swiftSettings: native),
        .target(name: "Statistics"),
        .target(name: "ArDCA", dependencies: ["CBLAS", "Tensors", "Autodiff", "Optimizers", "Sequences", "Potts", "NumPyIO", "FileIO"], swiftSettings: native),
        .target(name: "Gaussian", dependencies: ["CBLAS", "Tensors", "Sequences", "Potts"], swiftSettings: native),
        .target(name: "Scoring", dependencies: ["Sequences", "Mutations", "Potts", "ArDCA", "FileIO", "Statistics"], swiftSettings: native),
        .target(name: "Attention", dependencies: ["Tensors", "Autodiff", "Optimizers", "Layers", "Sequences", "Potts"], swiftSettings: native),
        .target(name: "LanguageModel", dependencies: ["Tensors", "Autodiff", "Optimizers", "Layers", "Sequences", "Archive", "Scoring", "Contacts", "Structures", "Statistics", "NumPyIO", "FileIO"], swiftSettings: native),
        .target(name: "Figures", dependencies: ["CZlib", "CFreeType", "FileIO"]),
        .target(name: "Generative", dependencies: ["CBLAS", "Tensors", "Autodiff", "Sequences", "Potts", "ArDCA", "VAE", "LanguageModel", "Statistics", "Figures", "FileIO"], swiftSettings: native),
        .target(name: "Motifs", dependencies: ["Tensors", "FileIO", "Console"]),
        .target(name: "DNAData", dependencies: ["CHDF5", "Tensors", "FileIO", "NumPyIO", "Motifs"], swiftSettings: native),
        .target(name: "Attribution", dependencies: ["Tensors", "Autodiff", "Layers", "DNAData", "RegulatoryCNN", "Statistics", "Motifs", "Console"], swiftSettings: native),
        .target(name: "RegulatoryCNN", dependencies: ["Tensors", "Autodiff", "Optimizers", "Layers", "NumPyIO", "FileIO", "DNAData", "Statistics", "Console"], swiftSettings: native),
        .target(name: "FuzzTargets", dependencies: ["DNAData", "FileIO", "Motifs", "Mutations", "NumPyIO", "Potts", "Sequences", "Structures", "ModelFormats"]),
        .executableTarget(name: "seqgen-fuzz", dependencies: ["FuzzTargets"]),
        .target(name: "ModelFormats", dependencies: ["Tensors", "Sequences", "Potts", "FileIO"]),
        .target(name: "Saliency", dependencies: ["Tensors", "Autodiff", "Potts", "Archive", "FileIO", "Figures", "Console"], swiftSettings: native),
        .target(name: "VAE", dependencies: ["Tensors", "Autodiff", "Layers", "Optimizers", "Sequences", "Archive", "NumPyIO", "FileIO", "Scoring", "Saliency"], swiftSettings: native),
        .target(name: "Contacts", dependencies: ["Tensors", "Structures", "FileIO", "Statistics"], swiftSettings: native),
        .target(name: "Pipelines", dependencies: ["Tensors", "Console", "Optimizers", "NumPyIO", "Sequences", "Mutations", "Archive", "Potts", "Gaussian",
                                                  "Attention", "ArDCA", "Scoring", "Contacts", "Figures", "DNAData", "RegulatoryCNN", "Attribution", "VAE", "Saliency", "LanguageModel", "Generative",
                                                  "Statistics"]),
        .executableTarget(name: "seqgen", dependencies: [
            "Tensors", "Autodiff", "Optimizers", "Layers", "NumPyIO", "FileIO", "Console", "Sequences", "Structures", "Mutations", "Potts", "Contacts", "Figures", "Gaussian", "Scoring", "Attention", "Statistics", "Motifs", "DNAData", "ArDCA", "Generative", "RegulatoryCNN", "Attribution", "ModelFormats", "Archive", "Pipelines", "Saliency", "VAE", "LanguageModel", "CBLAS", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: staticSwiftRuntime),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
        .testTarget(name: "ModelFormatsTests", dependencies: ["ModelFormats", "Potts", "Sequences", "Tensors", "TestSupport"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Tensors", "Autodiff"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Tensors", "Autodiff", "Optimizers", "CBLAS", "CMalloc"]),
        .testTarget(name: "LayersTests", dependencies: ["Tensors", "Autodiff", "Layers"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SequencesTests", dependencies: ["Tensors", "Sequences", "Structures", "Mutations", "FileIO", "TestSupport"]),
        .testTarget(name: "StructuresTests", dependencies: ["Structures", "Sequences", "FileIO", "TestSupport"]),
        .testTarget(name: "MutationsTests", dependencies: ["Mutations", "FileIO", "TestSupport"]),
        .testTarget(name: "ContactsTests", dependencies: ["Contacts", "Structures", "Tensors", "Potts", "Attention", "TestSupport"]),
        .testTarget(name: "PottsTests", dependencies: ["Tensors", "Autodiff", "Sequences", "Structures", "Potts", "Contacts", "NumPyIO"]),
        .testTarget(name: "ScoringTests", dependencies: ["ArDCA", "Statistics", "Tensors", "Autodiff", "Optimizers", "Sequences", "Mutations", "Potts", "Scoring", "Contacts"]),
        .testTarget(name: "AttentionTests", dependencies: ["Tensors", "Autodiff", "Optimizers", "Sequences", "Potts", "Attention", "Contacts", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TestSupport"]),
        .testTarget(name: "MotifsTests", dependencies: ["Motifs", "FileIO", "Tensors", "TestSupport"]),
        .testTarget(name: "DNADataTests", dependencies: ["DNAData", "Motifs", "Tensors", "FileIO", "NumPyIO", "TestSupport"]),
        .testTarget(name: "RegulatoryCNNTests", dependencies: ["RegulatoryCNN", "DNAData", "Motifs", "Tensors", "Autodiff", "Layers", "Optimizers", "NumPyIO", "TestSupport"]),
        .testTarget(name: "AttributionTests", dependencies: ["Attribution", "RegulatoryCNN", "DNAData", "Motifs", "Tensors", "Autodiff", "Layers"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "TestSupport"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "Tensors", "Autodiff", "Sequences", "Archive", "Potts", "Scoring", "Contacts", "Structures", "Statistics", "NumPyIO", "TestSupport"]),
        .testTarget(name: "ArDCATests", dependencies: ["ArDCA", "Tensors", "Autodiff", "Sequences", "Potts", "TestSupport"]),
        .testTarget(name: "GenerativeTests", dependencies: ["Generative", "ArDCA", "Tensors", "Sequences", "Potts", "Statistics", "VAE", "LanguageModel"]),
        .testTarget(name: "NumPyIOTests", dependencies: ["Tensors", "NumPyIO", "FileIO", "TestSupport"]),
        .testTarget(name: "FileIOTests", dependencies: ["FileIO", "Console", "TestSupport"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "Archive", "Potts", "Gaussian", "Attention", "ArDCA", "VAE", "Sequences", "Tensors", "CBLAS", "Console", "Contacts",
                                                           "Scoring", "Mutations", "NumPyIO", "DNAData", "RegulatoryCNN", "TestSupport", "LanguageModel", "Optimizers", "Figures"]),
        .testTarget(name: "SaliencyTests", dependencies: ["Saliency", "Potts", "Tensors", "Autodiff", "Sequences", "Figures"]),
        .testTarget(name: "GaussianTests", dependencies: ["Gaussian", "Potts", "Tensors", "Autodiff", "Optimizers", "Sequences"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "Potts", "NumPyIO", "Sequences", "Tensors", "FileIO", "TestSupport"]),
        .testTarget(name: "VAETests", dependencies: ["VAE", "Saliency", "Scoring", "Archive", "Potts", "Optimizers", "Tensors", "Autodiff", "Sequences", "NumPyIO"]),
    ],
    swiftLanguageModes: [.v6]
)
