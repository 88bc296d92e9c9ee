import CatenaFuzzTargets
import Foundation

#if CATENA_FUZZING
    import CLibFuzzer

    /// The target libFuzzer drives, named by `CATENA_FUZZ_TARGET` (see `scripts/fuzz.sh`).
    let selectedTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CATENA_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set CATENA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()

    /// Built with `-sanitize=fuzzer -DCATENA_FUZZING` (`scripts/fuzz.sh`): libFuzzer's driver with libFuzzer's flags,
    /// feeding each input to the target `CATENA_FUZZ_TARGET` names.
    @main
    struct FuzzInputs {
        static func main() {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(
                LLVMFuzzerRunDriver(&argc, &argv) { data, count in
                    selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
                    return 0
                })
        }
    }
#else
    /// A plain build: `catena-fuzz TARGET FILE…` runs the target once on each file, to replay a crash or a corpus.
    @main
    struct ReplayFuzzInputs {
        static func main() throws {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print(
                    "usage: catena-fuzz TARGET FILE…  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
                exit(2)
            }
            for path in arguments.dropFirst() {
                target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            }
            print("\(arguments.count - 1) inputs ran through \(name)")
        }
    }
#endif
