#if canImport(Glibc)
// C's `stdout` is a mutable global to Swift 6; stdio locks it itself.
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output as C's stdio buffers it (which `print` writes through): the one place in the
/// CLI that touches `stdout`.
enum StandardOutput {
    /// Each line goes out at once, in order with stderr, into a file or a pipe too.
    static func flushEveryLine() { setvbuf(stdout, nil, _IOLBF, 0) }

    /// Sends out what is buffered.
    static func flush() { fflush(stdout) }
}
