import { StaticPingbackError } from "../errors/static-pingback-error.ts";
export type XmlRpcErrorReason =
  | "empty"
  | "too-large"
  | "too-deep"
  | "too-many-elements"
  | "doctype"
  | "not-well-formed"
  | "html"
  | "not-xml-rpc";

/** A document that is not a safe, well-formed XML-RPC message; `reason` classifies it. */
export class XmlRpcParseError extends StaticPingbackError {
  readonly code = "xmlrpc-parse";
  readonly reason: XmlRpcErrorReason;

  constructor(reason: XmlRpcErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "XmlRpcParseError";
    this.reason = reason;
  }
}
