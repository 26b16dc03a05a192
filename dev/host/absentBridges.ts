/**
 * Stand-ins for bridge base classes that some older engines of the matrix lack (1.53 has no Experimental or
 * OutboundMessage bridge). dev/host/engine.ts resolves such a missing module here; an engine that lacks a bridge
 * never calls it, so the host's subclass of an empty class is enough.
 */
export abstract class ExperimentalBridge {}
/** See the file comment. */
export abstract class OutboundMessageBridge {}
