#if NMM_LIBFUZZER
import CFuzzer
import NMMFuzzKit

/// libFuzzer's per-input callback (built by `make fuzz` with -sanitize=fuzzer and
/// -DNMM_LIBFUZZER). Every input goes to every reader (FuzzHarness); a trap is a crash that
/// libFuzzer records, and so is an error that is not an NMMError.
@_cdecl("LLVMFuzzerTestOneInput")
public func nmmFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for case .unexpected(let reader, let error) in FuzzHarness.check(bytes) {
        fatalError("\(reader): error that is not an NMMError: \(error)")
    }
    return 0
}

/// Hands the command line to libFuzzer's driver (flags such as -runs=N, corpus folders).
func runLibFuzzer() -> Int32 {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in nmmFuzzTestOneInput(data, size) }
}
#endif
