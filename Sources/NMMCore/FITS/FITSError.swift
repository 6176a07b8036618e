/// An error from reading or writing FITS: CFITSIO's own status text and message stack
/// when CFITSIO reported it, plus where it happened (file, HDU, column or keyword).
public struct FITSError: NMMError {
    public enum Kind: Sendable, Equatable {
        case cfitsio(status: Int32)   // CFITSIO returned a non-zero status
        case missingFile              // the file does not exist or cannot be opened
        case missingHDU
        case missingColumn
        case missingKeyword
        case wrongType
        case wrongUnit
        case invalidValue
        case cannotWrite
    }

    public let kind: Kind
    public let file: String
    public let hdu: String?
    public let item: String?       // column or keyword
    public let message: String     // what went wrong / what was expected
    public let cfitsioMessages: [String]

    public init(_ kind: Kind, file: String, hdu: String? = nil, item: String? = nil,
                _ message: String, cfitsioMessages: [String] = []) {
        self.kind = kind
        self.file = file
        self.hdu = hdu
        self.item = item
        self.message = message
        self.cfitsioMessages = cfitsioMessages
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .missingFile: .noInput
        case .cannotWrite: .cannotCreate
        default: .dataError
        }
    }

    public var description: String {
        var location = file
        if let hdu { location += "[\(hdu)]" }
        if let item { location += " \(item)" }
        var text = "\(location): \(message)"
        if let first = cfitsioMessages.first(where: { !$0.isEmpty }) { text += " (CFITSIO: \(first))" }
        return text
    }
}
