// The SDK is one import: the vocabulary its public API takes and returns comes with it —
// `ProviderID`, `ProviderRequirement`, `ByokyError` and the wire types from ByokyCore, and the
// `ByteBuffer` that answers stream in (from SwiftNIO's NIOCore).
@_exported public import ByokyCore
@_exported public import NIOCore
