internal import CGSL

/// GSL's default error handler aborts the process; nmm turns it off once and checks every
/// returned status instead (toolchain.md pitfall 5). Every GSL wrapper calls `GSL.setUp()`.
public enum GSL {
    private static let setup: Void = { gsl_set_error_handler_off() }()

    public static func setUp() { _ = setup }

    public static func statusText(_ status: Int32) -> String {
        guard let p = gsl_strerror(status) else { return "GSL status \(status)" }
        return String(cString: p)
    }

    public static var version: String { String(cString: cgsl_version()) }
}

/// A GSL routine returned a non-success status.
public struct GSLError: NMMError {
    public let routine: String
    public let status: Int32
    public let context: String

    public init(routine: String, status: Int32, context: String = "") {
        self.routine = routine
        self.status = status
        self.context = context
    }

    public var exitStatus: ExitStatus { .software }

    public var description: String {
        var s = "\(routine) failed: \(GSL.statusText(status)) (GSL status \(status))"
        if !context.isEmpty { s += " while \(context)" }
        return s
    }
}
