// TEMPORARY stand-ins for APIs being built on branch `core`; deleted at merge.
import Foundation
public enum SHA256Hex {
    public static func of(data: Data) -> String { "" }
    public static func of(string: String) -> String { "" }
    public static func of(fileAt path: String) throws -> String { "" }
}
public enum FITSIO {
    public static func write(_ doc: FITSDocument, to path: String) throws {}
    public static func read(_ path: String) throws -> FITSDocument { FITSDocument() }
}
public enum AtomicFile {
    public static func write(to finalPath: String, _ body: (String) throws -> Void) throws {}
    public static func writeData(_ data: Data, to path: String) throws {}
}
public enum ProductStore {
    public static func write<P: StageProduct>(_ product: P, provenance: Provenance, to path: String) throws {}
    public static func read<P: StageProduct>(_ type: P.Type, from path: String, checkStaleness: Bool = true) throws -> (P, Provenance) { fatalError() }
}
